-- steps finished after a watermark, oldest first, with their namespace and handler (for metrics)
select ns.name as namespace,
       coalesce(h.callable, s.template_step_name) as handler,
       s.current_state,
       extract(epoch from s.completed_at - coalesce(s.last_attempted_at, s.created_at)) as seconds,
       s.attempts,
       s.completed_at
  from tasker.workflow_steps s
  join tasker.tasks t on t.task_uuid = s.task_uuid
  join tasker.named_tasks nt on nt.named_task_uuid = t.named_task_uuid
  join tasker.task_namespaces ns on ns.task_namespace_uuid = nt.task_namespace_uuid
  left join lateral (
        select e -> 'handler' ->> 'callable' as callable
          from jsonb_array_elements(nt.configuration -> 'steps') e
         where e ->> 'name' = s.template_step_name
         limit 1) h on true
 where s.completed_at > ?
 order by s.completed_at
 limit ?
