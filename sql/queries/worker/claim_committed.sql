-- whether a claim whose commit reply was lost is on record: its in_progress transition carries the
-- claiming transaction's token
select exists (
  select 1
    from tasker.workflow_step_transitions
   where workflow_step_uuid = ?
     and to_state = 'in_progress'
     and metadata ->> 'claim' = ?
)
