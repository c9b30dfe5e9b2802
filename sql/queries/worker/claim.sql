-- locks the step and returns what its handler context needs (the template comes from a cache
-- keyed by content_hash), with the results of its declared parents as one JSON object (edges
-- named 'provides'; 'gates' edges only order steps)
select s.current_state, s.attempts, s.max_attempts, s.template_step_name, s.inputs, s.checkpoint,
       s.timeout_seconds, t.task_uuid, t.context, t.correlation_id, nt.named_task_uuid,
       nt.content_hash, nt.name as task_name, ns.name as namespace, nstep.name as template_step,
       (select jsonb_object_agg(p.template_step_name, coalesce(p.results, 'null'::jsonb))
          from tasker.workflow_step_edges e
          join tasker.workflow_steps p on p.workflow_step_uuid = e.from_step_uuid
         where e.to_step_uuid = s.workflow_step_uuid and e.name = 'provides') as dependency_results
  from tasker.workflow_steps s
  join tasker.tasks t on t.task_uuid = s.task_uuid
  join tasker.named_tasks nt on nt.named_task_uuid = t.named_task_uuid
  join tasker.task_namespaces ns on ns.task_namespace_uuid = nt.task_namespace_uuid
  join tasker.named_steps nstep on nstep.named_step_uuid = s.named_step_uuid
 where s.workflow_step_uuid = ?
   for no key update of s
