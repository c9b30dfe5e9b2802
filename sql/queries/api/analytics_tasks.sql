-- tasks created in the window, by template: counts by outcome and end-to-end durations (ms)
select ns.name as namespace, nt.name, nt.version,
       count(*) as tasks,
       count(*) filter (where t.current_state = 'complete') as complete,
       count(*) filter (where t.current_state = 'error') as error,
       count(*) filter (where t.current_state = 'cancelled') as cancelled,
       count(*) filter (where t.current_state = 'resolved_manually') as resolved_manually,
       count(*) filter (where t.completed_at is null) as in_progress,
       avg(extract(epoch from t.completed_at - t.created_at) * 1000) as avg_duration_ms,
       percentile_cont(0.5) within group (order by extract(epoch from t.completed_at - t.created_at) * 1000) as p50_duration_ms,
       percentile_cont(0.95) within group (order by extract(epoch from t.completed_at - t.created_at) * 1000) as p95_duration_ms
  from tasker.tasks t
  join tasker.named_tasks nt on nt.named_task_uuid = t.named_task_uuid
  join tasker.task_namespaces ns on ns.task_namespace_uuid = nt.task_namespace_uuid
 where t.created_at >= now() - make_interval(secs => ?)
 group by ns.name, nt.name, nt.version
 order by ns.name, nt.name, nt.version
