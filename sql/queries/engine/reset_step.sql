update tasker.workflow_steps
   set attempts = 0, next_attempt_at = null, last_error = null, backoff_request_ms = null
 where workflow_step_uuid = ?
