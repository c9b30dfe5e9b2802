-- steps of the tasks created in the window, by template and step: counts, retries, run time (ms)
select ns.name as namespace, nt.name, nt.version, s.template_step_name as step,
       count(*) as steps,
       count(*) filter (where s.current_state in ('complete', 'resolved_manually')) as done,
       count(*) filter (where s.current_state = 'error') as error,
       coalesce(sum(greatest(s.attempts - 1, 0)), 0) as retries,
       avg(extract(epoch from s.completed_at - s.last_attempted_at) * 1000) as avg_duration_ms
  from tasker.tasks t
  join tasker.named_tasks nt on nt.named_task_uuid = t.named_task_uuid
  join tasker.task_namespaces ns on ns.task_namespace_uuid = nt.task_namespace_uuid
  join tasker.workflow_steps s on s.task_uuid = t.task_uuid
 where t.created_at >= now() - make_interval(secs => ?)
 group by ns.name, nt.name, nt.version, s.template_step_name
 order by ns.name, nt.name, nt.version, s.template_step_name
