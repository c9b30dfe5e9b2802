select t.task_uuid, ns.name as namespace, nt.name, nt.version, t.current_state, t.context,
       t.created_at, t.completed_at, t.correlation_id, t.priority, t.initiator, t.source_system,
       t.reason
  from tasker.tasks t
  join tasker.named_tasks nt on nt.named_task_uuid = t.named_task_uuid
  join tasker.task_namespaces ns on ns.task_namespace_uuid = nt.task_namespace_uuid
 where t.task_uuid = ?
