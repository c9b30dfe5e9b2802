select current_state, attempts from tasker.workflow_steps where workflow_step_uuid = ? for no key update
