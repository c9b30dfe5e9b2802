update tasker.workflow_steps
   set next_attempt_at = clock_timestamp() + ? * interval '1 millisecond'
 where workflow_step_uuid = ?
