select from_state, to_state, sort_key, metadata, created_at
  from tasker.workflow_step_transitions
 where workflow_step_uuid = ?
 order by sort_key
