-- what the audit looked at
select (select count(*) from tasker.tasks) as tasks,
       (select count(*) from tasker.workflow_steps) as steps,
       (select count(*) from tasker.workflow_step_transitions)
         + (select count(*) from tasker.task_transitions) as transitions
