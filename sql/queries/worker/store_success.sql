update tasker.workflow_steps set results = ?::jsonb, last_error = null, backoff_request_ms = null
 where workflow_step_uuid = ?
