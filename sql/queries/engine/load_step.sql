select s.current_state, s.attempts, s.max_attempts, s.retryable, s.step_type, s.template_step_name,
       s.backoff_base_ms, s.max_backoff_ms, s.backoff_request_ms, s.results, s.last_error
  from tasker.workflow_steps s
 where s.workflow_step_uuid = ? and s.task_uuid = ?
