select current_state from tasker.tasks where task_uuid = ?
