select nt.content_hash, nt.configuration from tasker.named_tasks nt where nt.named_task_uuid = ?
