update tasker.workflow_steps set last_error = ?::jsonb, backoff_request_ms = ?
 where workflow_step_uuid = ?
