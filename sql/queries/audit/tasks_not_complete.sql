-- final tasks that did not complete (error, cancelled, resolved by an operator)
select count(*) from tasker.tasks
 where current_state in ('error', 'cancelled', 'resolved_manually')
