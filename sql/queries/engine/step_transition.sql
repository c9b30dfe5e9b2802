insert into tasker.workflow_step_transitions (workflow_step_uuid, from_state, to_state, metadata)
values (?, ?, ?, ?::jsonb)
