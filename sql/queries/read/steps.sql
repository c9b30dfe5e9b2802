select s.workflow_step_uuid, s.template_step_name, s.step_type, s.current_state, s.attempts,
       s.max_attempts, s.results, s.last_error, s.checkpoint, s.next_attempt_at,
       s.created_at, s.completed_at, s.last_attempted_at
  from tasker.workflow_steps s
 where s.task_uuid = ?
 order by s.workflow_step_uuid
