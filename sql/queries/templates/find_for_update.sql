select named_task_uuid, content_hash from tasker.named_tasks
 where task_namespace_uuid = ? and name = ? and version = ?
   for update
