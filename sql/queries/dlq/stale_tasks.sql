-- Tasks stuck in one state past their template's lifecycle limit (minutes; defaults below), whose
-- staleness action is not 'none'. SKIP LOCKED: several orchestrators sweep without colliding.
select t.task_uuid, t.current_state,
       coalesce(nt.configuration->'lifecycle'->>'staleness_action', 'dlq') as action
  from tasker.tasks t
  join tasker.named_tasks nt on nt.named_task_uuid = t.named_task_uuid
 where t.current_state in ('pending', 'initializing', 'enqueuing_steps', 'steps_in_process',
                           'evaluating_results', 'waiting_for_dependencies', 'waiting_for_retry',
                           'blocked_by_failures')
   and coalesce(nt.configuration->'lifecycle'->>'staleness_action', 'dlq') <> 'none'
   and t.updated_at < now() - make_interval(mins => coalesce(
         (nt.configuration->'lifecycle'->>(case t.current_state
            when 'waiting_for_dependencies' then 'max_waiting_for_dependencies_minutes'
            when 'waiting_for_retry' then 'max_waiting_for_retry_minutes'
            else 'max_steps_in_process_minutes' end))::int,
         case t.current_state
            when 'waiting_for_dependencies' then ?
            when 'waiting_for_retry' then ?
            else ? end))
 order by t.updated_at
 limit ?
   for update of t skip locked
