select d.dlq_entry_uuid, d.task_uuid, d.original_state, d.dlq_reason, d.dlq_timestamp,
       d.resolution_status, d.resolution_timestamp, d.resolution_notes, d.resolved_by,
       ns.name as namespace, nt.name, nt.version
  from tasker.dlq_entries d
  join tasker.tasks t on t.task_uuid = d.task_uuid
  join tasker.named_tasks nt on nt.named_task_uuid = t.named_task_uuid
  join tasker.task_namespaces ns on ns.task_namespace_uuid = nt.task_namespace_uuid
 where (?::text is null or d.resolution_status = ?)
 order by d.dlq_timestamp desc
 limit ? offset ?
