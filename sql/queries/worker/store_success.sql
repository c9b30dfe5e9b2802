update tasker.workflow_steps set results = ?::jsonb, last_error = null, backoff_request_seconds = null
 where workflow_step_uuid = ?
