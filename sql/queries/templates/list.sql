select ns.name as namespace, nt.name, nt.version, nt.description, nt.content_hash,
       nt.named_task_uuid, nt.created_at, nt.updated_at,
       jsonb_array_length(coalesce(nt.configuration->'steps', '[]'::jsonb)) as step_count
  from tasker.named_tasks nt
  join tasker.task_namespaces ns on ns.task_namespace_uuid = nt.task_namespace_uuid
 order by ns.name, nt.name, nt.created_at
