-- tasks that have not reached a final state
select count(*) from tasker.tasks
 where current_state not in ('complete', 'error', 'cancelled', 'resolved_manually')
