-- tasker bench scale: the database clock and the steps completed so far, in one snapshot, so that
-- steps/s and commits/step over a window use the same instants.
select clock_timestamp() as at,
       (select count(*) from tasker.workflow_steps where current_state = 'complete') as steps_complete
