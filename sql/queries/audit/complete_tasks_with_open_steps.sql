-- complete tasks with a step that is neither complete, resolved nor cancelled
select count(*) from tasker.tasks t
  join tasker.workflow_steps s on s.task_uuid = t.task_uuid
 where t.current_state = 'complete'
   and s.current_state not in ('complete', 'resolved_manually', 'cancelled')
