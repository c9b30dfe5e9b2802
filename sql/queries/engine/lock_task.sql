-- serialises every decision about one task (result processing, evaluation, operator actions)
select t.current_state, t.named_task_uuid, t.correlation_id, ns.name as namespace
  from tasker.tasks t
  join tasker.named_tasks nt on nt.named_task_uuid = t.named_task_uuid
  join tasker.task_namespaces ns on ns.task_namespace_uuid = nt.task_namespace_uuid
 where t.task_uuid = ?
   for update of t
