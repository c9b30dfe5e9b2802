select nt.named_task_uuid, nt.version, nt.content_hash
  from tasker.named_tasks nt
  join tasker.task_namespaces ns on ns.task_namespace_uuid = nt.task_namespace_uuid
 where ns.name = ? and nt.name = ?
