insert into tasker.task_namespaces (name) values (?)
on conflict (name) do update set updated_at = tasker.task_namespaces.updated_at
returning task_namespace_uuid
