-- engine/step_summary for a task in steps_in_process, which records progress without a state
-- change (the staleness sweep measures time since the last progress by updated_at): the touch
-- rides in the same statement. A task that leaves steps_in_process moves updated_at anyway.
with touched as (
  update tasker.tasks set updated_at = now() where task_uuid = ?
)
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
