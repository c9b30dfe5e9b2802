-- step audit rows that break the chain: a gap in sort_key, a row that does not start where the
-- previous one ended, a step without audit rows, or a current_state that disagrees with its most
-- recent row (the highest sort_key)
select
  (select count(*) from tasker.workflow_step_transitions t
     left join tasker.workflow_step_transitions p
       on p.workflow_step_uuid = t.workflow_step_uuid and p.sort_key = t.sort_key - 1
    where t.sort_key > 0 and (p.workflow_step_uuid is null or p.to_state is distinct from t.from_state))
  + (select count(*) from tasker.workflow_steps s
      where s.current_state is distinct from
            (select t.to_state from tasker.workflow_step_transitions t
              where t.workflow_step_uuid = s.workflow_step_uuid
              order by t.sort_key desc limit 1))
