insert into tasker.workflow_steps (workflow_step_uuid, task_uuid, named_step_uuid, template_step_name,
                                   step_type, retryable, max_attempts, timeout_seconds,
                                   backoff_base_ms, max_backoff_ms, inputs)
select ?, ?, ns.named_step_uuid, ?, ?, ?, ?, ?, ?, ?, ?::jsonb
  from tasker.named_steps ns where ns.name = ?
