select workflow_step_uuid, template_step_name, current_state
  from tasker.workflow_steps
 where task_uuid = ?
