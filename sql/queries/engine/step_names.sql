select workflow_step_uuid, template_step_name from tasker.workflow_steps where task_uuid = ?
