-- completed steps without a stored result
select count(*) from tasker.workflow_steps
 where current_state = 'complete' and results is null
