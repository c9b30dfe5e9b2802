-- locks the step and returns what its handler context needs (the template comes from a cache
-- keyed by content_hash)
select s.current_state, s.attempts, s.max_attempts, s.template_step_name, s.inputs, s.checkpoint,
       s.timeout_seconds, t.task_uuid, t.context, t.correlation_id, nt.named_task_uuid,
       nt.content_hash, nt.name as task_name, ns.name as namespace, nstep.name as template_step
  from tasker.workflow_steps s
  join tasker.tasks t on t.task_uuid = s.task_uuid
  join tasker.named_tasks nt on nt.named_task_uuid = t.named_task_uuid
  join tasker.task_namespaces ns on ns.task_namespace_uuid = nt.task_namespace_uuid
  join tasker.named_steps nstep on nstep.named_step_uuid = s.named_step_uuid
 where s.workflow_step_uuid = ?
   for update of s
