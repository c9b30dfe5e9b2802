-- results of the declared parents (edges named 'provides'; 'gates' edges only order steps)
select p.template_step_name, p.results
  from tasker.workflow_step_edges e
  join tasker.workflow_steps p on p.workflow_step_uuid = e.from_step_uuid
 where e.to_step_uuid = ? and e.name = 'provides'
