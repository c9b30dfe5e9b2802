update tasker.workflow_steps set checkpoint = ?::jsonb where workflow_step_uuid = ?
