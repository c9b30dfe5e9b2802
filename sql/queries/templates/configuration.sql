select configuration from tasker.named_tasks where named_task_uuid = ?
