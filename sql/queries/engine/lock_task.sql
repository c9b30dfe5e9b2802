-- serialises every decision about one task (result processing, evaluation, operator actions).
-- NO KEY UPDATE, not UPDATE: it excludes the other deciders just the same, but not the foreign-key
-- checks (KEY SHARE) that claims and reports of the task's steps take on this row meanwhile
select t.current_state, t.named_task_uuid, t.correlation_id, ns.name as namespace
  from tasker.tasks t
  join tasker.named_tasks nt on nt.named_task_uuid = t.named_task_uuid
  join tasker.task_namespaces ns on ns.task_namespace_uuid = nt.task_namespace_uuid
 where t.task_uuid = ?
   for no key update of t
