-- The engine's hot path as server-side functions: creating a task, claiming steps and reporting a
-- success each cost one call instead of 5-13 statements. Inside the engine every statement cost
-- ~0.45 ms of wall time on the development machine (about 0.2 ms of server work plus the client's
-- turn: wake the thread, map the row, bind the next statement), and a step made ~15 of them
-- (docs/benchmarks.md, "Where the time goes"). The task evaluator lives here too (advance_task),
-- so the Java paths (failures, checkpoints, late reports, decision and batchable steps, operator
-- actions) and these functions decide with the same code. The transition triggers still guard
-- every state change made here.
--
-- A versioned migration like the others: a later change to these functions is a new migration
-- (create or replace), never an edit of this file. A process of an older build ignores migrations
-- newer than it knows and keeps working; with a repeatable migration it would re-apply its own,
-- older functions over a newer build's. Queue tables are named per queue (pgmq.q_<name>), hence the
-- per-queue statements of queue_statement and, on rare paths, format() + EXECUTE.

-- The name of the per-queue statement p_kind of p_queue, prepared in this session on first use:
-- PL/pgSQL plans a statement run through EXECUTE on every call (~0.1 ms for a delete, ~0.3 ms for
-- the read here), while a prepared one is planned once per session. p_sql is "(parameter types) as
-- query" with %1$I for the queue's table (pgmq.q_<queue>); queue names are [a-z0-9_]{1,47}, so the
-- name fits in 63 bytes. Run it with EXECUTE format('execute %I(...)', name, arguments as %L).
create function tasker.queue_statement(p_kind text, p_queue text, p_sql text)
  returns text
  language plpgsql as $$
declare
  v_name text := 'tasker_' || p_kind || '_' || p_queue;
begin
  if not exists (select 1 from pg_prepared_statements where name = v_name) then
    execute format('prepare %I %s', v_name, format(p_sql, 'q_' || p_queue));
  end if;
  return v_name;
end
$$;

-- one row per message a claim looked at; the columns after `message` are set when outcome = 'claimed'
create type tasker.step_claim as (
  outcome            text,    -- claimed | exhausted | over_limit | not_a_step | gone | stale
  msg_id             bigint,
  read_ct            integer,
  message            jsonb,
  task_uuid          uuid,
  step_uuid          uuid,
  attempt            integer, -- the attempt this claim runs (attempts after the claim)
  max_attempts       integer,
  step_name          text,
  inputs             jsonb,
  checkpoint         jsonb,
  context            jsonb,
  correlation_id     uuid,
  named_task_uuid    uuid,
  content_hash       text,
  task_name          text,
  namespace          text,
  template_step      text,
  dependency_results jsonb
);

-- Claims the step of one message already taken off p_queue (its vt and read_ct set by the read):
-- enqueued -> in_progress with a new attempt, a resume or a redelivery of an in-progress step
-- likewise. The transition's metadata carries p_token and the message id, so a caller whose reply
-- was lost can ask which claims are on record (tasker.claims_by_token, worker/claim_committed); a
-- step in progress whose last claim carries p_token is returned as claimed again, unchanged.
-- Messages past their delivery limit or that are not step messages go to the archive; messages of
-- finished, cancelled or vanished steps are deleted. A redelivered step with no attempts left is
-- returned as 'exhausted', untouched: the caller fails it for good in the same transaction. A step
-- with its own timeout keeps its message hidden until that deadline plus p_grace_ms.
create function tasker.claim_message(
    p_queue text, p_msg_id bigint, p_read_ct integer, p_message jsonb, p_max_deliveries integer,
    p_token text, p_grace_ms bigint)
  returns tasker.step_claim
  language plpgsql as $$
declare
  uuid_re constant text :=
    '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
  q text := 'q_' || p_queue;
  s record;
  r tasker.step_claim;
  v_step uuid;
  v_increment integer := 0;
  v_note jsonb;
begin
  r.msg_id := p_msg_id;
  r.read_ct := p_read_ct;
  r.message := p_message;
  if p_read_ct > p_max_deliveries
     or jsonb_typeof(p_message) is distinct from 'object'
     or coalesce(p_message ->> 'step_uuid', '') !~ uuid_re
     or coalesce(p_message ->> 'task_uuid', '') !~ uuid_re then
    execute format($q$
      with archived as (
        delete from pgmq.%I where msg_id = $1
        returning msg_id, vt, read_ct, enqueued_at, message
      )
      insert into pgmq.%I (msg_id, vt, read_ct, enqueued_at, message)
      select msg_id, vt, read_ct, enqueued_at, message from archived $q$, q, 'a_' || p_queue)
      using p_msg_id;
    r.outcome := case when p_read_ct > p_max_deliveries then 'over_limit' else 'not_a_step' end;
    return r;
  end if;
  v_step := (p_message ->> 'step_uuid')::uuid;
  select st.current_state, st.attempts, st.max_attempts, st.template_step_name, st.inputs,
         st.checkpoint, st.timeout_seconds, t.task_uuid, t.context, t.correlation_id,
         nt.named_task_uuid, nt.content_hash, nt.name as task_name, ns.name as namespace,
         nstep.name as template_step,
         (select jsonb_object_agg(p.template_step_name, coalesce(p.results, 'null'::jsonb))
            from tasker.workflow_step_edges e
            join tasker.workflow_steps p on p.workflow_step_uuid = e.from_step_uuid
           where e.to_step_uuid = st.workflow_step_uuid and e.name = 'provides') as deps,
         (select x.metadata ->> 'claim' from tasker.workflow_step_transitions x
           where x.workflow_step_uuid = st.workflow_step_uuid
           order by x.sort_key desc limit 1) as last_claim
    into s
    from tasker.workflow_steps st
    join tasker.tasks t on t.task_uuid = st.task_uuid
    join tasker.named_tasks nt on nt.named_task_uuid = t.named_task_uuid
    join tasker.task_namespaces ns on ns.task_namespace_uuid = nt.task_namespace_uuid
    join tasker.named_steps nstep on nstep.named_step_uuid = st.named_step_uuid
   where st.workflow_step_uuid = v_step
     for no key update of st;
  v_note := jsonb_build_object('claim', p_token, 'msg_id', p_msg_id);
  if not found then
    r.outcome := 'gone';
  elsif s.current_state = 'enqueued' then
    r.outcome := 'claimed';
    v_increment := 1;
  elsif s.current_state = 'in_progress' and s.last_claim = p_token then
    r.outcome := 'claimed'; -- asked again by the claimer: already on record
    v_note := null;
  elsif s.current_state = 'in_progress' and p_message ->> 'kind' = 'resume' then
    r.outcome := 'claimed';
    v_note := v_note || '{"resumed": true}';
  elsif s.current_state = 'in_progress' then
    -- redelivered: the worker that held this attempt did not report within its deadline
    if s.attempts >= s.max_attempts then
      r.outcome := 'exhausted';
    else
      r.outcome := 'claimed';
      v_increment := 1;
      v_note := v_note || jsonb_build_object('redelivered', true, 'read_ct', p_read_ct);
    end if;
  else
    r.outcome := 'stale'; -- already done, cancelled or taken over by an operator
  end if;
  if r.outcome in ('gone', 'stale') then
    execute format('execute %I(%s)',
                   tasker.queue_statement('delete', p_queue,
                                          '(bigint) as delete from pgmq.%1$I where msg_id = $1'),
                   p_msg_id);
  elsif r.outcome = 'claimed' then
    if v_note is not null then
      insert into tasker.workflow_step_transitions (workflow_step_uuid, from_state, to_state, metadata)
      values (v_step, s.current_state, 'in_progress', v_note);
      if s.timeout_seconds is not null then
        execute format($q$update pgmq.%I set vt = clock_timestamp() + $2 * interval '1 millisecond'
                           where msg_id = $1$q$, q)
          using p_msg_id, s.timeout_seconds * 1000::bigint + p_grace_ms;
      end if;
    end if;
    if v_increment > 0 then
      update tasker.workflow_steps
         set attempts = attempts + v_increment, last_attempted_at = now()
       where workflow_step_uuid = v_step;
    end if;
    r.task_uuid := s.task_uuid;
    r.step_uuid := v_step;
    r.attempt := s.attempts + v_increment;
    r.max_attempts := s.max_attempts;
    r.step_name := s.template_step_name;
    r.inputs := s.inputs;
    r.checkpoint := s.checkpoint;
    r.context := s.context;
    r.correlation_id := s.correlation_id;
    r.named_task_uuid := s.named_task_uuid;
    r.content_hash := s.content_hash;
    r.task_name := s.task_name;
    r.namespace := s.namespace;
    r.template_step := s.template_step;
    r.dependency_results := s.deps;
  elsif r.outcome = 'exhausted' then
    r.task_uuid := s.task_uuid;
    r.step_uuid := v_step;
    r.attempt := s.attempts;
    r.max_attempts := s.max_attempts;
    r.correlation_id := s.correlation_id;
  end if;
  return r;
end
$$;

-- Reads up to p_max visible messages of p_queue (or takes the messages p_msg_ids, already read by
-- the caller) and claims their steps (tasker.claim_message).
--
-- The claim commits without waiting for its WAL flush: a claim lost in a crash is a message read
-- again after the restart (its step still enqueued), exactly what a worker crash before the claim
-- leaves; the report that follows commits durably, and flushing it flushes the claim before it.
create function tasker.claim_steps(
    p_queue text, p_vt_ms bigint, p_max integer, p_msg_ids bigint[], p_max_deliveries integer,
    p_token text, p_grace_ms bigint)
  returns setof tasker.step_claim
  language plpgsql as $$
declare
  m record;
begin
  perform set_config('synchronous_commit', 'off', true);
  for m in execute case when p_msg_ids is null then format('execute %I(%s, %s)',
      tasker.queue_statement('read', p_queue, $q$(integer, bigint) as
        with claimed as (
          select msg_id from pgmq.%1$I where vt <= clock_timestamp()
           order by msg_id limit $1 for update skip locked
        ), updated as (
          update pgmq.%1$I x set vt = clock_timestamp() + $2 * interval '1 millisecond',
                                 read_ct = x.read_ct + 1
            from claimed where x.msg_id = claimed.msg_id
          returning x.msg_id, x.read_ct, x.message
        )
        select * from updated order by msg_id $q$),
      p_max, p_vt_ms)
    else format('execute %I(%L)',
      tasker.queue_statement('take', p_queue, $q$(bigint[]) as
        select x.msg_id, x.read_ct, x.message from pgmq.%1$I x
         where x.msg_id = any($1) order by x.msg_id for update skip locked $q$),
      p_msg_ids)
    end
  loop
    return next tasker.claim_message(p_queue, m.msg_id, m.read_ct, m.message, p_max_deliveries,
                                     p_token, p_grace_ms);
  end loop;
end
$$;

-- The claims of task p_task that a call with p_token made and that are still on record (the step in
-- progress, its last claim carrying p_token), as claim rows: for a caller whose reply was lost.
create function tasker.claims_by_token(
    p_queue text, p_task uuid, p_token text, p_max_deliveries integer, p_grace_ms bigint)
  returns setof tasker.step_claim
  language plpgsql as $$
declare
  c record;
  v_msg_id bigint;
  v_read_ct integer;
  v_message jsonb;
begin
  for c in
    select (x.metadata ->> 'msg_id')::bigint as msg_id
      from tasker.workflow_steps s
      join tasker.workflow_step_transitions x on x.workflow_step_uuid = s.workflow_step_uuid
     where s.task_uuid = p_task and s.current_state = 'in_progress'
       and x.to_state = 'in_progress' and x.metadata ->> 'claim' = p_token
  loop
    execute format('select msg_id, read_ct, message from pgmq.%I where msg_id = $1', 'q_' || p_queue)
      into v_msg_id, v_read_ct, v_message using c.msg_id;
    if v_msg_id is not null then
      return next tasker.claim_message(p_queue, v_msg_id, v_read_ct, v_message, p_max_deliveries,
                                       p_token, p_grace_ms);
    end if;
  end loop;
end
$$;

-- Decides what a task does next, with its row locked by the caller: the task evaluator of the
-- engine (io.tasker.orchestration.TaskEvaluator calls it; creation and success reports call it in
-- the same statement). Enqueues the steps that became ready (their messages on p_next_queue, the
-- namespace's worker queue), keeps running, or settles (waiting_for_retry, error, complete,
-- waiting_for_dependencies). Every move is a guarded transition. A task in steps_in_process that
-- only made progress stays there, recording nothing but updated_at (the staleness sweep measures
-- time since then); from any other state the task passes evaluating_results, if the rules allow
-- (else it is left as it is). p_wake_locally: a consumer in the caller's process is woken at commit,
-- so the send skips the NOTIFY (V4). p_keep: the caller takes the first ready step itself; its
-- message is written as already read (hidden for p_keep_vt_ms, read once, no NOTIFY) and returned
-- as kept_msg_id / kept_step for the caller to claim (tasker.claim_message).
create function tasker.advance_task(
    p_task uuid, p_state text, p_correlation uuid, p_next_queue text, p_wake_locally boolean,
    p_keep boolean default false, p_keep_vt_ms bigint default 0,
    out task_state text, out enqueued integer, out kept_msg_id bigint, out kept_step uuid)
  language plpgsql as $$
declare
  v_ready uuid[];
  v_ready_from text[];
  v_in_flight boolean;
  v_retrying boolean;
  v_failed boolean;
  v_all_done boolean;
  v_settled text;
begin
  enqueued := 0;
  task_state := p_state;
  if p_state = 'pending' then
    insert into tasker.task_transitions (task_uuid, from_state, to_state)
    values (p_task, 'pending', 'initializing');
    task_state := 'initializing';
  elsif p_state = 'steps_in_process' then
    update tasker.tasks set updated_at = now() where task_uuid = p_task;
  elsif p_state <> 'evaluating_results' then
    if not exists (select 1 from tasker.task_state_rules r
                    where r.from_state = p_state and r.to_state = 'evaluating_results') then
      return;
    end if;
    insert into tasker.task_transitions (task_uuid, from_state, to_state)
    values (p_task, p_state, 'evaluating_results');
    task_state := 'evaluating_results';
  end if;

  select array_agg(x.workflow_step_uuid order by x.workflow_step_uuid) filter (where x.ready),
         array_agg(x.current_state order by x.workflow_step_uuid) filter (where x.ready),
         coalesce(bool_or(x.current_state in ('enqueued', 'in_progress', 'enqueued_for_orchestration',
                                              'enqueued_as_error_for_orchestration')), false),
         coalesce(bool_or(x.current_state = 'waiting_for_retry'), false),
         coalesce(bool_or(x.current_state = 'error'), false),
         coalesce(bool_and(x.current_state in ('complete', 'resolved_manually', 'cancelled')), true)
    into v_ready, v_ready_from, v_in_flight, v_retrying, v_failed, v_all_done
    from (
      select s.workflow_step_uuid, s.current_state,
             (s.current_state = 'pending'
              or (s.current_state = 'waiting_for_retry' and s.next_attempt_at <= clock_timestamp()))
             and not exists (
               select 1
                 from tasker.workflow_step_edges e
                 join tasker.workflow_steps p on p.workflow_step_uuid = e.from_step_uuid
                where e.to_step_uuid = s.workflow_step_uuid
                  and p.current_state not in ('complete', 'resolved_manually')) as ready
        from tasker.workflow_steps s
       where s.task_uuid = p_task
    ) x;

  if v_ready is not null then
    if task_state <> 'steps_in_process' then
      insert into tasker.task_transitions (task_uuid, from_state, to_state)
      values (p_task, task_state, 'enqueuing_steps');
    end if;
    insert into tasker.workflow_step_transitions (workflow_step_uuid, from_state, to_state)
    select u, f, 'enqueued' from unnest(v_ready, v_ready_from) as r(u, f);
    if p_keep then
      kept_step := v_ready[1];
      perform set_config('tasker.woken_locally', p_next_queue, true);
      execute format('execute %I(%L, %L, %L, %s)',
        tasker.queue_statement('keep', p_next_queue, $q$(uuid, uuid, uuid, bigint) as
          insert into pgmq.%1$I (vt, read_ct, message)
          values (clock_timestamp() + $4 * interval '1 millisecond', 1,
                  jsonb_build_object('task_uuid', $1, 'step_uuid', $3, 'correlation_id', $2,
                                     'kind', 'step'))
          returning msg_id $q$),
        p_task, p_correlation, kept_step, p_keep_vt_ms)
        into kept_msg_id;
    end if;
    if cardinality(v_ready) > (case when p_keep then 1 else 0 end) then
      perform set_config('tasker.woken_locally',
                         case when p_wake_locally then p_next_queue else '' end, true);
      execute format('execute %I(%L, %L, %L, %s)',
        tasker.queue_statement('send', p_next_queue, $q$(uuid, uuid, uuid[], integer) as
          insert into pgmq.%1$I (vt, message)
          select clock_timestamp(),
                 jsonb_build_object('task_uuid', $1, 'step_uuid', u, 'correlation_id', $2,
                                    'kind', 'step')
            from unnest($3) with ordinality as r(u, n)
           where n > $4
           order by n $q$),
        p_task, p_correlation, v_ready, case when p_keep then 1 else 0 end);
    end if;
    enqueued := cardinality(v_ready);
    if task_state <> 'steps_in_process' then
      insert into tasker.task_transitions (task_uuid, from_state, to_state)
      values (p_task, 'enqueuing_steps', 'steps_in_process');
      task_state := 'steps_in_process';
    end if;
  elsif v_in_flight then
    if task_state <> 'steps_in_process' then
      insert into tasker.task_transitions (task_uuid, from_state, to_state)
      values (p_task, task_state, 'steps_in_process');
      task_state := 'steps_in_process';
    end if;
  else
    if task_state = 'steps_in_process' then
      insert into tasker.task_transitions (task_uuid, from_state, to_state)
      values (p_task, 'steps_in_process', 'evaluating_results');
      task_state := 'evaluating_results';
    end if;
    v_settled := case when v_retrying then 'waiting_for_retry'
                      when v_failed then 'error'
                      when v_all_done then 'complete'
                      else 'waiting_for_dependencies' end;
    insert into tasker.task_transitions (task_uuid, from_state, to_state)
    values (p_task, task_state, v_settled);
    task_state := v_settled;
  end if;
end
$$;

-- Records a handler's success of attempt p_attempt and moves the task on, for the common case: a
-- standard step of a task in steps_in_process, still in progress on that attempt. Anything else
-- comes back as 'deferred' with nothing written, and the caller takes the general path
-- (io.tasker.orchestration.ResultProcessor). Locks the task before the step, like every
-- transaction that decides about a task. With p_token set, the caller (a worker of p_next_queue
-- with a free slot: the one that ran this step) claims the first step that became ready in the
-- same transaction and gets it back as `next`: a chain of steps then costs one call per step, with
-- no read, no separate claim and no wake-up in between. A caller whose reply is lost finds that
-- claim with tasker.claims_by_token(p_next_queue, p_task, p_token, ...).
create function tasker.report_success(
    p_queue text, p_msg_id bigint, p_task uuid, p_step uuid, p_attempt integer, p_result jsonb,
    p_next_queue text, p_wake_locally boolean, p_token text, p_vt_ms bigint,
    p_max_deliveries integer, p_grace_ms bigint,
    out outcome text, out task_state text, out enqueued integer, out next tasker.step_claim)
  language plpgsql as $$
declare
  v_state text;
  v_correlation uuid;
  a record;
begin
  enqueued := 0;
  select t.current_state, t.correlation_id into v_state, v_correlation
    from tasker.tasks t where t.task_uuid = p_task
     for no key update;
  if not found then
    outcome := 'task_gone';
    return;
  end if;
  task_state := v_state;
  if v_state <> 'steps_in_process' then
    outcome := 'deferred';
    return;
  end if;
  update tasker.workflow_steps s
     set results = p_result, last_error = null, backoff_request_ms = null
   where s.workflow_step_uuid = p_step and s.task_uuid = p_task
     and s.current_state = 'in_progress' and s.attempts = p_attempt
     and s.step_type not in ('decision', 'batchable');
  if not found then
    outcome := 'deferred'; -- a late report, or a step whose success creates steps
    return;
  end if;
  insert into tasker.workflow_step_transitions (workflow_step_uuid, from_state, to_state)
  values (p_step, 'in_progress', 'complete');
  execute format('execute %I(%s)',
                 tasker.queue_statement('delete', p_queue,
                                        '(bigint) as delete from pgmq.%1$I where msg_id = $1'),
                 p_msg_id);
  select * into a
    from tasker.advance_task(p_task, v_state, v_correlation, p_next_queue, p_wake_locally,
                             p_token is not null, p_vt_ms);
  task_state := a.task_state;
  enqueued := a.enqueued;
  if a.kept_msg_id is not null then
    next := tasker.claim_message(
      p_next_queue, a.kept_msg_id, 1,
      jsonb_build_object('task_uuid', p_task, 'step_uuid', a.kept_step,
                         'correlation_id', v_correlation, 'kind', 'step'),
      p_max_deliveries, p_token, p_grace_ms);
  end if;
  outcome := 'recorded';
end
$$;

-- Creates a task with its static steps (p_steps: [{uuid, name, template_step, type, retryable,
-- max_attempts, timeout_seconds, backoff_base_ms, max_backoff_ms}]), their edges (p_edges: [{from,
-- to, kind}] by step uuid) and first transitions, and enqueues the steps ready at once: what
-- io.tasker.orchestration.TaskCreator computes, stored in one call. created = false, with nothing
-- written, when a task with the same identity exists (the unique index decides, race-free).
create function tasker.create_task(
    p_task uuid, p_named_task uuid, p_context jsonb, p_identity text, p_priority integer,
    p_initiator text, p_source_system text, p_reason text, p_tags jsonb, p_correlation uuid,
    p_parent_correlation uuid, p_steps jsonb, p_edges jsonb, p_next_queue text,
    p_wake_locally boolean,
    out created boolean, out task_state text, out enqueued integer)
  language plpgsql as $$
declare
  v_expected integer := jsonb_array_length(p_steps);
  v_inserted integer;
begin
  insert into tasker.tasks (task_uuid, named_task_uuid, context, identity_hash, priority, initiator,
                            source_system, reason, tags, correlation_id, parent_correlation_id)
  values (p_task, p_named_task, p_context, p_identity, p_priority, p_initiator, p_source_system,
          p_reason, p_tags, p_correlation, p_parent_correlation)
  on conflict (identity_hash) do nothing;
  created := found;
  if not created then
    return;
  end if;
  insert into tasker.task_transitions (task_uuid, from_state, to_state)
  values (p_task, null, 'pending');
  insert into tasker.workflow_steps (workflow_step_uuid, task_uuid, named_step_uuid,
                                     template_step_name, step_type, retryable, max_attempts,
                                     timeout_seconds, backoff_base_ms, max_backoff_ms)
  select s.uuid, p_task, ns.named_step_uuid, s.name, s.type, s.retryable, s.max_attempts,
         s.timeout_seconds, s.backoff_base_ms, s.max_backoff_ms
    from jsonb_to_recordset(p_steps) as s(uuid uuid, name text, template_step text, type text,
                                          retryable boolean, max_attempts integer,
                                          timeout_seconds integer, backoff_base_ms integer,
                                          max_backoff_ms integer)
    join tasker.named_steps ns on ns.name = s.template_step
   order by s.uuid;
  get diagnostics v_inserted = row_count;
  if v_inserted <> v_expected then
    -- named steps are recorded at registration; a miss means the template was not registered
    raise exception 'create_task: % of % steps have no named step (template not registered?)',
      v_expected - v_inserted, v_expected using errcode = 'foreign_key_violation';
  end if;
  insert into tasker.workflow_step_transitions (workflow_step_uuid, from_state, to_state)
  select (s ->> 'uuid')::uuid, null, 'pending' from jsonb_array_elements(p_steps) s;
  insert into tasker.workflow_step_edges (from_step_uuid, to_step_uuid, name)
  select e."from", e."to", e.kind
    from jsonb_to_recordset(p_edges) as e("from" uuid, "to" uuid, kind text)
  on conflict (from_step_uuid, to_step_uuid) do nothing;
  select a.task_state, a.enqueued into task_state, enqueued
    from tasker.advance_task(p_task, 'pending', p_correlation, p_next_queue, p_wake_locally) a;
end
$$;
