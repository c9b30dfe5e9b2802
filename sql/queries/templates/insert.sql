insert into tasker.named_tasks (task_namespace_uuid, name, version, description, configuration, content_hash)
values (?, ?, ?, ?, ?::jsonb, ?)
returning named_task_uuid
