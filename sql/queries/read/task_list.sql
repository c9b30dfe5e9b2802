select t.task_uuid, ns.name as namespace, nt.name, nt.version, t.current_state, t.created_at,
       t.completed_at,
       (select count(*) from tasker.workflow_steps s where s.task_uuid = t.task_uuid) as steps,
       (select count(*) from tasker.workflow_steps s
         where s.task_uuid = t.task_uuid and s.current_state in ('complete', 'resolved_manually')) as steps_done
  from tasker.tasks t
  join tasker.named_tasks nt on nt.named_task_uuid = t.named_task_uuid
  join tasker.task_namespaces ns on ns.task_namespace_uuid = nt.task_namespace_uuid
 where (?::text is null or ns.name = ?)
   and (?::text is null or nt.name = ?)
   and (?::text is null or t.current_state = ?)
 order by t.task_uuid desc
 limit ? offset ?
