-- no row back means a task with this identity exists (the unique index decides, race-free)
insert into tasker.tasks (task_uuid, named_task_uuid, context, identity_hash, priority, initiator,
                          source_system, reason, tags, correlation_id, parent_correlation_id)
values (?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)
on conflict (identity_hash) do nothing
returning task_uuid
