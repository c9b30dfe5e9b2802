-- steps with more than one transition into complete: a step must complete exactly once
select count(*) from (
  select workflow_step_uuid from tasker.workflow_step_transitions
   where to_state = 'complete'
   group by workflow_step_uuid having count(*) > 1) twice
