-- step audit rows that break the chain: a gap in sort_key, a row that does not start where the
-- previous one ended, not exactly one most_recent row, or a current_state that disagrees with it
select
  (select count(*) from tasker.workflow_step_transitions t
     left join tasker.workflow_step_transitions p
       on p.workflow_step_uuid = t.workflow_step_uuid and p.sort_key = t.sort_key - 1
    where t.sort_key > 0 and (p.workflow_step_uuid is null or p.to_state is distinct from t.from_state))
  + (select count(*) from tasker.workflow_steps s
      where (select count(*) from tasker.workflow_step_transitions t
              where t.workflow_step_uuid = s.workflow_step_uuid and t.most_recent) <> 1
         or s.current_state is distinct from
            (select t.to_state from tasker.workflow_step_transitions t
              where t.workflow_step_uuid = s.workflow_step_uuid and t.most_recent))
