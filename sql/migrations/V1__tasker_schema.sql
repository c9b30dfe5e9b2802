-- tasker schema: templates, tasks, steps, the DAG, both state machines (with their audit trail)
-- and the dead letter queue. Flyway creates the schema itself (it holds the history table).

-- UUID v7: time-ordered, so primary-key inserts append to the index instead of splitting pages.
create function tasker.uuid_v7() returns uuid
language sql volatile parallel safe as $$
  select encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid())
              placing substring(int8send((extract(epoch from clock_timestamp()) * 1000)::bigint) from 3)
              from 1 for 6),
      52, 1), 53, 1), 'hex')::uuid
$$;

-- ------------------------------------------------------------------------------------------------
-- State vocabularies and the legal transitions. The Java tables in io.tasker.state mirror these
-- rows; a test fails when the two disagree.
-- ------------------------------------------------------------------------------------------------
create table tasker.task_states (
  state    text primary key,
  terminal boolean not null
);
insert into tasker.task_states (state, terminal) values
  ('pending', false), ('initializing', false), ('enqueuing_steps', false),
  ('steps_in_process', false), ('evaluating_results', false),
  ('waiting_for_dependencies', false), ('waiting_for_retry', false),
  ('blocked_by_failures', false), ('complete', true), ('error', true), ('cancelled', true),
  ('resolved_manually', true);

create table tasker.step_states (
  state    text primary key,
  terminal boolean not null
);
insert into tasker.step_states (state, terminal) values
  ('pending', false), ('enqueued', false), ('in_progress', false),
  ('enqueued_for_orchestration', false), ('enqueued_as_error_for_orchestration', false),
  ('waiting_for_retry', false), ('complete', true), ('error', true), ('cancelled', true),
  ('resolved_manually', true);

create table tasker.task_state_rules (
  from_state text not null references tasker.task_states (state),
  to_state   text not null references tasker.task_states (state),
  primary key (from_state, to_state)
);
insert into tasker.task_state_rules (from_state, to_state) values
  ('pending', 'initializing'),
  ('initializing', 'enqueuing_steps'), ('initializing', 'complete'),
  ('initializing', 'waiting_for_dependencies'), ('initializing', 'error'),
  ('enqueuing_steps', 'steps_in_process'), ('enqueuing_steps', 'error'),
  ('steps_in_process', 'evaluating_results'), ('steps_in_process', 'waiting_for_retry'),
  ('evaluating_results', 'complete'), ('evaluating_results', 'enqueuing_steps'),
  ('evaluating_results', 'steps_in_process'), ('evaluating_results', 'waiting_for_dependencies'),
  ('evaluating_results', 'waiting_for_retry'), ('evaluating_results', 'blocked_by_failures'),
  ('evaluating_results', 'error'),
  ('waiting_for_dependencies', 'evaluating_results'),
  ('waiting_for_retry', 'enqueuing_steps'), ('waiting_for_retry', 'evaluating_results'),
  ('blocked_by_failures', 'error'), ('blocked_by_failures', 'resolved_manually'),
  ('blocked_by_failures', 'evaluating_results'),
  ('error', 'pending'), ('error', 'evaluating_results'), ('error', 'resolved_manually');
-- cancel, and error (staleness: the DLQ sweep), from every non-terminal state
insert into tasker.task_state_rules (from_state, to_state)
  select state, 'cancelled' from tasker.task_states where not terminal;
insert into tasker.task_state_rules (from_state, to_state)
  select state, 'error' from tasker.task_states where not terminal
  on conflict do nothing;

create table tasker.step_state_rules (
  from_state text not null references tasker.step_states (state),
  to_state   text not null references tasker.step_states (state),
  primary key (from_state, to_state)
);
insert into tasker.step_state_rules (from_state, to_state) values
  ('pending', 'enqueued'), ('pending', 'in_progress'), ('pending', 'error'),
  ('enqueued', 'in_progress'), ('enqueued', 'error'), ('enqueued', 'pending'),
  ('in_progress', 'enqueued_for_orchestration'),
  ('in_progress', 'enqueued_as_error_for_orchestration'),
  ('in_progress', 'complete'), ('in_progress', 'error'), ('in_progress', 'in_progress'),
  ('enqueued_for_orchestration', 'complete'),
  ('enqueued_for_orchestration', 'in_progress'),
  ('enqueued_for_orchestration', 'error'),
  ('enqueued_as_error_for_orchestration', 'waiting_for_retry'),
  ('enqueued_as_error_for_orchestration', 'error'),
  ('waiting_for_retry', 'pending'), ('waiting_for_retry', 'enqueued'),
  ('error', 'pending'), ('error', 'complete');
-- cancel from every non-terminal state and from error; manual resolution from the same
insert into tasker.step_state_rules (from_state, to_state)
  select state, 'cancelled' from tasker.step_states where not terminal or state = 'error';
insert into tasker.step_state_rules (from_state, to_state)
  select state, 'resolved_manually' from tasker.step_states where not terminal or state = 'error';

-- ------------------------------------------------------------------------------------------------
-- Templates
-- ------------------------------------------------------------------------------------------------
create table tasker.task_namespaces (
  task_namespace_uuid uuid primary key default tasker.uuid_v7(),
  name                text not null unique
                      check (name ~ '^[a-z0-9_]{1,34}$'),
  description         text,
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now()
);

create table tasker.named_tasks (
  named_task_uuid     uuid primary key default tasker.uuid_v7(),
  task_namespace_uuid uuid not null references tasker.task_namespaces,
  name                text not null check (name <> ''),
  version             text not null check (version <> ''),
  description         text,
  configuration       jsonb not null,          -- the whole template, as registered
  content_hash        text not null,           -- sha-256 of the normalised template
  created_at          timestamptz not null default now(),
  updated_at          timestamptz not null default now(),
  unique (task_namespace_uuid, name, version)
);

create table tasker.named_steps (
  named_step_uuid uuid primary key default tasker.uuid_v7(),
  name            text not null unique check (name <> ''),
  description     text,
  created_at      timestamptz not null default now()
);

-- ------------------------------------------------------------------------------------------------
-- Tasks and steps
-- ------------------------------------------------------------------------------------------------
create table tasker.tasks (
  task_uuid             uuid primary key default tasker.uuid_v7(),
  named_task_uuid       uuid not null references tasker.named_tasks,
  current_state         text not null default 'pending' check (current_state in ('pending', 'initializing', 'enqueuing_steps', 'steps_in_process', 'evaluating_results',
                                   'waiting_for_dependencies', 'waiting_for_retry', 'blocked_by_failures',
                                   'complete', 'error', 'cancelled', 'resolved_manually')),
  context               jsonb not null default '{}'::jsonb,
  identity_hash         text not null,
  priority              integer not null default 0 check (priority between -1000 and 1000),
  initiator             text,
  source_system         text,
  reason                text,
  tags                  jsonb,
  correlation_id        uuid not null default tasker.uuid_v7(),
  parent_correlation_id uuid,
  requested_at          timestamptz not null default now(),
  created_at            timestamptz not null default now(),
  updated_at            timestamptz not null default now(),
  completed_at          timestamptz,
  check (jsonb_typeof(context) = 'object'),
  check ((completed_at is null) = (current_state not in ('complete', 'error', 'cancelled', 'resolved_manually')))
);
create unique index tasks_identity_hash_key on tasker.tasks (identity_hash);
create index tasks_named_task_created_idx on tasker.tasks (named_task_uuid, created_at desc);
create index tasks_active_state_idx on tasker.tasks (current_state, updated_at)
  where current_state not in ('complete', 'error', 'cancelled', 'resolved_manually');
create index tasks_correlation_idx on tasker.tasks (correlation_id);

create table tasker.workflow_steps (
  workflow_step_uuid       uuid primary key default tasker.uuid_v7(),
  task_uuid                uuid not null references tasker.tasks on delete cascade,
  named_step_uuid          uuid not null references tasker.named_steps,
  template_step_name       text not null check (template_step_name <> ''),
  step_type                text not null default 'standard'
                           check (step_type in ('standard', 'decision', 'deferred_convergence',
                                                'batchable', 'batch_worker')),
  current_state            text not null default 'pending' check (current_state in ('pending', 'enqueued', 'in_progress', 'enqueued_for_orchestration',
                                   'enqueued_as_error_for_orchestration', 'waiting_for_retry', 'complete',
                                   'error', 'cancelled', 'resolved_manually')),
  retryable                boolean not null default true,
  max_attempts             integer not null default 3 check (max_attempts >= 1),
  attempts                 integer not null default 0 check (attempts >= 0),
  timeout_seconds          integer check (timeout_seconds > 0),
  backoff_base_ms          integer check (backoff_base_ms >= 0),
  max_backoff_ms           integer check (max_backoff_ms >= 0),
  backoff_request_ms  integer check (backoff_request_ms >= 0),
  next_attempt_at          timestamptz,
  last_attempted_at        timestamptz,
  inputs                   jsonb,
  results                  jsonb,
  checkpoint               jsonb,
  last_error               jsonb,
  created_at               timestamptz not null default now(),
  updated_at               timestamptz not null default now(),
  completed_at             timestamptz,
  unique (task_uuid, template_step_name),
  check (backoff_base_ms is null or max_backoff_ms is null or backoff_base_ms <= max_backoff_ms),
  check (last_error is null or jsonb_typeof(last_error) = 'object')
);
create index workflow_steps_task_state_idx on tasker.workflow_steps (task_uuid, current_state);
create index workflow_steps_retry_due_idx on tasker.workflow_steps (next_attempt_at)
  where current_state = 'waiting_for_retry';

create table tasker.workflow_step_edges (
  from_step_uuid uuid not null references tasker.workflow_steps on delete cascade,
  to_step_uuid   uuid not null references tasker.workflow_steps on delete cascade,
  name           text not null default 'provides',
  created_at     timestamptz not null default now(),
  primary key (from_step_uuid, to_step_uuid),
  check (from_step_uuid <> to_step_uuid)
);
create index workflow_step_edges_to_idx on tasker.workflow_step_edges (to_step_uuid);

-- ------------------------------------------------------------------------------------------------
-- Transitions: the audit trail and the guard. A state change is an INSERT of a transition row;
-- the trigger locks the owning row, checks that from_state is the current state and that the
-- move is a legal rule, then moves current_state. A direct UPDATE of current_state is rejected,
-- so no code path can change a state without an audit row or around the rules.
-- ------------------------------------------------------------------------------------------------
create table tasker.task_transitions (
  task_transition_uuid uuid primary key default tasker.uuid_v7(),
  task_uuid            uuid not null references tasker.tasks on delete cascade,
  from_state           text,   -- checked by the guard against task_state_rules
  to_state             text not null,
  most_recent          boolean not null default true,
  sort_key             integer not null default 0,
  processor_uuid       uuid,
  metadata             jsonb,
  created_at           timestamptz not null default clock_timestamp(),
  unique (task_uuid, sort_key)
);
create unique index task_transitions_most_recent_key
  on tasker.task_transitions (task_uuid) where most_recent;

create table tasker.workflow_step_transitions (
  workflow_step_transition_uuid uuid primary key default tasker.uuid_v7(),
  workflow_step_uuid            uuid not null references tasker.workflow_steps on delete cascade,
  from_state                    text,   -- checked by the guard against step_state_rules
  to_state                      text not null,
  most_recent                   boolean not null default true,
  sort_key                      integer not null default 0,
  metadata                      jsonb,
  created_at                    timestamptz not null default clock_timestamp(),
  unique (workflow_step_uuid, sort_key)
);
create unique index workflow_step_transitions_most_recent_key
  on tasker.workflow_step_transitions (workflow_step_uuid) where most_recent;

-- The guard is a compare-and-set: one UPDATE moves current_state only if it still equals
-- from_state and the move is a rule (taking the row lock), one UPDATE retires the previous
-- most_recent row and yields its sort_key. Errors are diagnosed only on the slow path.
create function tasker.apply_task_transition() returns trigger
language plpgsql as $$
declare
  previous_key integer;
  current text;
begin
  if new.from_state is null then
    -- the first row records creation: pending, with no from_state (sort_key 0 is unique per task)
    if new.to_state <> 'pending' then
      raise exception 'illegal task transition null -> % for task %: the first transition is -> pending',
        new.to_state, new.task_uuid using errcode = 'check_violation';
    end if;
    new.sort_key := 0;
    new.most_recent := true;
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
  update tasker.task_transitions set most_recent = false
   where task_uuid = new.task_uuid and most_recent
  returning sort_key into previous_key;
  if new.to_state in ('complete', 'error', 'cancelled', 'resolved_manually') then
    -- wakes whoever waits for this task (task create --wait, benchmarks) at commit
    perform pg_notify('tasker_task', new.task_uuid::text);
  end if;
  new.sort_key := coalesce(previous_key, 0) + 1;
  new.most_recent := true;
  return new;
end
$$;
create trigger task_transition_guard before insert on tasker.task_transitions
  for each row execute function tasker.apply_task_transition();

create function tasker.apply_step_transition() returns trigger
language plpgsql as $$
declare
  previous_key integer;
  current text;
begin
  if new.from_state is null then
    if new.to_state <> 'pending' then
      raise exception 'illegal step transition null -> % for step %: the first transition is -> pending',
        new.to_state, new.workflow_step_uuid using errcode = 'check_violation';
    end if;
    new.sort_key := 0;
    new.most_recent := true;
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
  update tasker.workflow_step_transitions set most_recent = false
   where workflow_step_uuid = new.workflow_step_uuid and most_recent
  returning sort_key into previous_key;
  new.sort_key := coalesce(previous_key, 0) + 1;
  new.most_recent := true;
  return new;
end
$$;
create trigger step_transition_guard before insert on tasker.workflow_step_transitions
  for each row execute function tasker.apply_step_transition();

-- current_state moves only through a transition row: the guard's UPDATE runs inside the
-- transition trigger (trigger depth 1); a direct UPDATE (depth 0) reaches this function and fails
create function tasker.reject_direct_state_change() returns trigger
language plpgsql as $$
begin
  raise exception 'current_state of % changes only by inserting a transition row (% -> %)',
    tg_table_name, old.current_state, new.current_state
    using errcode = 'check_violation';
end
$$;
-- the WHEN clause is evaluated without calling the function, so the guarded path pays nothing
create trigger tasks_state_via_transition before update of current_state on tasker.tasks
  for each row when (pg_trigger_depth() < 1 and new.current_state is distinct from old.current_state)
  execute function tasker.reject_direct_state_change();
create trigger workflow_steps_state_via_transition before update of current_state on tasker.workflow_steps
  for each row when (pg_trigger_depth() < 1 and new.current_state is distinct from old.current_state)
  execute function tasker.reject_direct_state_change();

-- ------------------------------------------------------------------------------------------------
-- Dead letter queue: tasks an operator must look at, with the investigation record
-- ------------------------------------------------------------------------------------------------
create table tasker.dlq_entries (
  dlq_entry_uuid       uuid primary key default tasker.uuid_v7(),
  task_uuid            uuid not null references tasker.tasks on delete cascade,
  original_state       text not null references tasker.task_states (state),
  dlq_reason           text not null
                       check (dlq_reason in ('staleness_timeout', 'max_retries_exceeded',
                                             'dependency_cycle_detected', 'worker_unavailable',
                                             'manual_dlq')),
  dlq_timestamp        timestamptz not null default now(),
  resolution_status    text not null default 'pending'
                       check (resolution_status in ('pending', 'manually_resolved',
                                                    'permanently_failed', 'cancelled')),
  resolution_timestamp timestamptz,
  resolution_notes     text,
  resolved_by          text,
  task_snapshot        jsonb not null,
  metadata             jsonb,
  created_at           timestamptz not null default now(),
  updated_at           timestamptz not null default now(),
  check ((resolution_status = 'pending') = (resolution_timestamp is null))
);
-- at most one open investigation per task
create unique index dlq_entries_open_task_key on tasker.dlq_entries (task_uuid)
  where resolution_status = 'pending';
create index dlq_entries_status_time_idx on tasker.dlq_entries (resolution_status, dlq_timestamp);

-- ------------------------------------------------------------------------------------------------
-- Queue wake-ups: one statement-level trigger per queue table notifies channel tasker_queue with
-- the queue name, inside the sending transaction (a rolled-back send wakes nobody). Installed by
-- the Java queue layer after pgmq.create, for the pgmq extension and the emulation alike.
-- ------------------------------------------------------------------------------------------------
create function tasker.notify_queue_insert() returns trigger
language plpgsql as $$
begin
  perform pg_notify('tasker_queue', tg_argv[0]);
  return null;
end
$$;

create function tasker.enable_queue_notify(queue_name text) returns void
language plpgsql as $$
begin
  if exists (select 1 from pg_trigger t join pg_class c on c.oid = t.tgrelid
              join pg_namespace n on n.oid = c.relnamespace
             where n.nspname = 'pgmq' and c.relname = 'q_' || queue_name
               and t.tgname = 'tasker_notify') then
    return;
  end if;
  execute format(
    'create trigger tasker_notify after insert on pgmq.%I for each statement execute function tasker.notify_queue_insert(%L)',
    'q_' || queue_name, queue_name);
exception when duplicate_object then
  null; -- created by a concurrent call: same trigger
end
$$;
