insert into tasker.dlq_entries (task_uuid, original_state, dlq_reason, task_snapshot, metadata)
values (?, ?, ?, ?::jsonb, ?::jsonb)
on conflict (task_uuid) where resolution_status = 'pending' do nothing
