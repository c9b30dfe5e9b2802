update tasker.workflow_steps
   set attempts = attempts + ?, last_attempted_at = now()
 where workflow_step_uuid = ?
