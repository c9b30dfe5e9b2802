-- Cheaper state changes on the hot path (docs/benchmarks.md, "Where the time goes"): a transition
-- used to write about eight index entries (the owning row's non-HOT update, the new audit row,
-- and the previous audit row's most_recent flag). Same guarantees, fewer writes:
--
-- 1. The most recent audit row is the one with the highest sort_key (unique per owner), so the
--    most_recent flag, its partial unique index and the UPDATE that retired the previous row go.
--    The guard still serialises transitions of one owner through the owning row's lock, taken by
--    its compare-and-set UPDATE before the next sort_key is read.
-- 2. Indexes no query reads are dropped, and the remaining ones do not cover the columns the hot
--    path changes (current_state, updated_at, attempts, results), so those UPDATEs are HOT: the
--    new row version goes on the same page without new index entries. A lower fillfactor leaves
--    that room on the page.

alter table tasker.task_transitions drop column most_recent;
alter table tasker.workflow_step_transitions drop column most_recent;

-- step_summary and every other step query look steps up by task_uuid (the unique
-- (task_uuid, template_step_name) index serves it) or by primary key
drop index tasker.workflow_steps_task_state_idx;
drop index tasker.workflow_steps_retry_due_idx;

-- the staleness sweep's index, without updated_at: a touch (progress without a state change) no
-- longer has to insert an index entry
drop index tasker.tasks_active_state_idx;
create index tasks_active_state_idx on tasker.tasks (current_state)
  where current_state not in ('complete', 'error', 'cancelled', 'resolved_manually');

alter table tasker.tasks set (fillfactor = 80);
alter table tasker.workflow_steps set (fillfactor = 80);

create or replace function tasker.apply_task_transition() returns trigger
language plpgsql as $$
declare
  current text;
begin
  if new.from_state is null then
    -- the first row records creation: pending, with no from_state (sort_key 0 is unique per task)
    if new.to_state <> 'pending' then
      raise exception 'illegal task transition null -> % for task %: the first transition is -> pending',
        new.to_state, new.task_uuid using errcode = 'check_violation';
    end if;
    new.sort_key := 0;
    return new;
  end if;
  update tasker.tasks t
     set current_state = new.to_state,
         updated_at = now(),
         completed_at = case when new.to_state in ('complete', 'error', 'cancelled', 'resolved_manually')
                             then now() else null end
   where t.task_uuid = new.task_uuid
     and t.current_state = new.from_state
     and exists (select 1 from tasker.task_state_rules r
                  where r.from_state = new.from_state and r.to_state = new.to_state);
  if not found then
    select t.current_state into current from tasker.tasks t where t.task_uuid = new.task_uuid;
    if current is null then
      raise exception 'task % does not exist', new.task_uuid using errcode = 'foreign_key_violation';
    elsif current <> new.from_state then
      raise exception 'stale task transition % -> % for task %: its state is %',
        new.from_state, new.to_state, new.task_uuid, current using errcode = 'serialization_failure';
    else
      raise exception 'illegal task transition % -> % for task %', new.from_state, new.to_state, new.task_uuid
        using errcode = 'check_violation';
    end if;
  end if;
  if new.to_state in ('complete', 'error', 'cancelled', 'resolved_manually') then
    -- wakes whoever waits for this task (task create --wait, benchmarks) at commit
    perform pg_notify('tasker_task', new.task_uuid::text);
  end if;
  -- the task row is locked by the UPDATE above, so no other transition of it runs between this
  -- read (a fresh snapshot: it sees every committed row) and the insert
  new.sort_key := coalesce((select max(x.sort_key) from tasker.task_transitions x
                             where x.task_uuid = new.task_uuid), 0) + 1;
  return new;
end
$$;

create or replace function tasker.apply_step_transition() returns trigger
language plpgsql as $$
declare
  current text;
begin
  if new.from_state is null then
    if new.to_state <> 'pending' then
      raise exception 'illegal step transition null -> % for step %: the first transition is -> pending',
        new.to_state, new.workflow_step_uuid using errcode = 'check_violation';
    end if;
    new.sort_key := 0;
    return new;
  end if;
  update tasker.workflow_steps s
     set current_state = new.to_state,
         updated_at = now(),
         completed_at = case when new.to_state in ('complete', 'resolved_manually') then now()
                             else s.completed_at end
   where s.workflow_step_uuid = new.workflow_step_uuid
     and s.current_state = new.from_state
     and exists (select 1 from tasker.step_state_rules r
                  where r.from_state = new.from_state and r.to_state = new.to_state);
  if not found then
    select s.current_state into current from tasker.workflow_steps s
     where s.workflow_step_uuid = new.workflow_step_uuid;
    if current is null then
      raise exception 'workflow step % does not exist', new.workflow_step_uuid using errcode = 'foreign_key_violation';
    elsif current <> new.from_state then
      raise exception 'stale step transition % -> % for step %: its state is %',
        new.from_state, new.to_state, new.workflow_step_uuid, current using errcode = 'serialization_failure';
    else
      raise exception 'illegal step transition % -> % for step %', new.from_state, new.to_state, new.workflow_step_uuid
        using errcode = 'check_violation';
    end if;
  end if;
  -- serialised by the step row's lock, as for tasks
  new.sort_key := coalesce((select max(x.sort_key) from tasker.workflow_step_transitions x
                             where x.workflow_step_uuid = new.workflow_step_uuid), 0) + 1;
  return new;
end
$$;
