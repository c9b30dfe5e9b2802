-- the same chain checks for task audit rows
select
  (select count(*) from tasker.task_transitions t
     left join tasker.task_transitions p on p.task_uuid = t.task_uuid and p.sort_key = t.sort_key - 1
    where t.sort_key > 0 and (p.task_uuid is null or p.to_state is distinct from t.from_state))
  + (select count(*) from tasker.tasks k
      where k.current_state is distinct from
            (select t.to_state from tasker.task_transitions t
              where t.task_uuid = k.task_uuid
              order by t.sort_key desc limit 1))
