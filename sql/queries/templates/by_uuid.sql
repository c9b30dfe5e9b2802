select nt.content_hash from tasker.named_tasks nt where nt.named_task_uuid = ?
