select task_uuid from tasker.tasks where identity_hash = ?
