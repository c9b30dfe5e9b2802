-- the transition trigger checks from_state against the current state and the rules table
insert into tasker.task_transitions (task_uuid, from_state, to_state, processor_uuid, metadata)
values (?, ?, ?, ?, ?::jsonb)
