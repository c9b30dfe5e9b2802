update tasker.workflow_steps set last_error = ?::jsonb, backoff_request_seconds = ?
 where workflow_step_uuid = ?
