update tasker.named_tasks
   set configuration = ?::jsonb, content_hash = ?, description = ?, updated_at = now()
 where named_task_uuid = ?
