-- one row per step of a task with what evaluation needs: state, retry due, and whether all
-- parents are satisfied (complete or resolved_manually)
select s.workflow_step_uuid, s.template_step_name, s.current_state,
       (s.current_state = 'waiting_for_retry' and s.next_attempt_at <= clock_timestamp()) as retry_due,
       s.next_attempt_at,
       not exists (
         select 1
           from tasker.workflow_step_edges e
           join tasker.workflow_steps p on p.workflow_step_uuid = e.from_step_uuid
          where e.to_step_uuid = s.workflow_step_uuid
            and p.current_state not in ('complete', 'resolved_manually')
       ) as parents_done
  from tasker.workflow_steps s
 where s.task_uuid = ?
