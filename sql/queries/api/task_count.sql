select count(*)
  from tasker.tasks t
  join tasker.named_tasks nt on nt.named_task_uuid = t.named_task_uuid
  join tasker.task_namespaces ns on ns.task_namespace_uuid = nt.task_namespace_uuid
 where (?::text is null or ns.name = ?)
   and (?::text is null or nt.name = ?)
   and (?::text is null or t.current_state = ?)
