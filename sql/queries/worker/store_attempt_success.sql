-- stores a handler's success only while the step is still in progress on the attempt that ran it
-- (no row back: a late report), and returns what completing the step needs (engine/load_step's
-- columns), so a report writes the step row once and does not read it again
update tasker.workflow_steps s
   set results = ?::jsonb, last_error = null, backoff_request_ms = null
 where s.workflow_step_uuid = ? and s.current_state = 'in_progress' and s.attempts = ?
returning s.current_state, s.attempts, s.max_attempts, s.retryable, s.step_type, s.template_step_name,
          s.backoff_base_ms, s.max_backoff_ms, s.backoff_request_ms, s.results, s.last_error
