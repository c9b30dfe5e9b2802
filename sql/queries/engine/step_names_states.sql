select workflow_step_uuid, current_state from tasker.workflow_steps where task_uuid = ?
