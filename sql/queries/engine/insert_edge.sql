insert into tasker.workflow_step_edges (from_step_uuid, to_step_uuid, name) values (?, ?, ?)
on conflict (from_step_uuid, to_step_uuid) do nothing
