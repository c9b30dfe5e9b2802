update tasker.workflow_steps set last_error = ?::jsonb where workflow_step_uuid = ?
