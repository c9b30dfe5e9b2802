-- pgmq semantics without the extension (it is not packaged for Debian nor on Maven): the same
-- schema, table layout (pgmq.q_<queue>, pgmq.a_<queue>), record types and function signatures,
-- so tasker's queue code runs unchanged on either. Queue names: [a-z0-9_], at most 47 characters.
create schema pgmq;

create type pgmq.message_record as (
  msg_id      bigint,
  read_ct     integer,
  enqueued_at timestamptz,
  vt          timestamptz,
  message     jsonb,
  headers     jsonb
);

create type pgmq.metrics_result as (
  queue_name           text,
  queue_length         bigint,
  newest_msg_age_sec   integer,
  oldest_msg_age_sec   integer,
  total_messages       bigint,
  scrape_time          timestamptz,
  queue_visible_length bigint
);

create table pgmq.meta (
  queue_name     text primary key,
  is_partitioned boolean not null default false,
  is_unlogged    boolean not null default false,
  created_at     timestamptz not null default now()
);

create function pgmq.validate_queue_name(queue_name text) returns void
language plpgsql immutable as $$
begin
  if queue_name is null or queue_name !~ '^[a-z0-9_]{1,47}$' then
    raise exception 'invalid queue name ''%'': use 1 to 47 characters of [a-z0-9_]', queue_name
      using errcode = 'invalid_parameter_value';
  end if;
end
$$;

create function pgmq.create(queue_name text) returns void
language plpgsql as $$
begin
  perform pgmq.validate_queue_name(queue_name);
  execute format($q$
    create table if not exists pgmq.%I (
      msg_id      bigint primary key generated always as identity,
      read_ct     integer not null default 0,
      enqueued_at timestamptz not null default now(),
      vt          timestamptz not null,
      message     jsonb,
      headers     jsonb
    )$q$, 'q_' || queue_name);
  execute format($q$
    create table if not exists pgmq.%I (
      msg_id      bigint primary key,
      read_ct     integer not null default 0,
      enqueued_at timestamptz not null default now(),
      archived_at timestamptz not null default now(),
      vt          timestamptz not null,
      message     jsonb,
      headers     jsonb
    )$q$, 'a_' || queue_name);
  execute format('create index if not exists %I on pgmq.%I (vt asc)',
                 'q_' || queue_name || '_vt_idx', 'q_' || queue_name);
  execute format('create index if not exists %I on pgmq.%I (archived_at)',
                 'archived_at_idx_' || queue_name, 'a_' || queue_name);
  insert into pgmq.meta (queue_name) values (queue_name) on conflict do nothing;
end
$$;

create function pgmq.send(queue_name text, msg jsonb, delay integer default 0)
returns setof bigint
language plpgsql as $$
begin
  return query execute format(
    'insert into pgmq.%I (vt, message) values (clock_timestamp() + make_interval(secs => $1), $2) returning msg_id',
    'q_' || queue_name) using greatest(delay, 0), msg;
end
$$;

create function pgmq.send_batch(queue_name text, msgs jsonb[], delay integer default 0)
returns setof bigint
language plpgsql as $$
begin
  return query execute format(
    'insert into pgmq.%I (vt, message) select clock_timestamp() + make_interval(secs => $1), m from unnest($2) as m returning msg_id',
    'q_' || queue_name) using greatest(delay, 0), msgs;
end
$$;

-- Claims up to qty visible messages, oldest first; SKIP LOCKED lets concurrent readers take
-- disjoint sets. A claimed message is invisible for vt seconds, then delivered again.
create function pgmq.read(queue_name text, vt integer, qty integer)
returns setof pgmq.message_record
language plpgsql as $$
begin
  return query execute format($q$
    with claimed as (
      select msg_id from pgmq.%I
       where vt <= clock_timestamp()
       order by msg_id
       limit $1
       for update skip locked
    )
    update pgmq.%I m
       set vt = clock_timestamp() + make_interval(secs => $2),
           read_ct = m.read_ct + 1
      from claimed
     where m.msg_id = claimed.msg_id
    returning m.msg_id, m.read_ct, m.enqueued_at, m.vt, m.message, m.headers$q$,
    'q_' || queue_name, 'q_' || queue_name) using qty, vt;
end
$$;

create function pgmq.delete(queue_name text, msg_id bigint) returns boolean
language plpgsql as $$
declare
  deleted bigint;
begin
  execute format('delete from pgmq.%I where msg_id = $1 returning msg_id', 'q_' || queue_name)
    into deleted using msg_id;
  return deleted is not null;
end
$$;

create function pgmq.delete(queue_name text, msg_ids bigint[]) returns setof bigint
language plpgsql as $$
begin
  return query execute format(
    'delete from pgmq.%I where msg_id = any($1) returning msg_id', 'q_' || queue_name) using msg_ids;
end
$$;

create function pgmq.archive(queue_name text, msg_ids bigint[]) returns setof bigint
language plpgsql as $$
begin
  return query execute format($q$
    with archived as (
      delete from pgmq.%I where msg_id = any($1)
      returning msg_id, vt, read_ct, enqueued_at, message, headers
    )
    insert into pgmq.%I (msg_id, vt, read_ct, enqueued_at, message, headers)
    select msg_id, vt, read_ct, enqueued_at, message, headers from archived
    returning msg_id$q$, 'q_' || queue_name, 'a_' || queue_name) using msg_ids;
end
$$;

create function pgmq.archive(queue_name text, msg_id bigint) returns boolean
language plpgsql as $$
begin
  return exists (select 1 from pgmq.archive(queue_name, array[msg_id]));
end
$$;

create function pgmq.set_vt(queue_name text, msg_id bigint, vt integer)
returns setof pgmq.message_record
language plpgsql as $$
begin
  return query execute format($q$
    update pgmq.%I
       set vt = clock_timestamp() + make_interval(secs => $2)
     where msg_id = $1
    returning msg_id, read_ct, enqueued_at, vt, message, headers$q$,
    'q_' || queue_name) using msg_id, vt;
end
$$;

create function pgmq.metrics(queue_name text) returns pgmq.metrics_result
language plpgsql as $$
declare
  result pgmq.metrics_result;
begin
  execute format($q$
    select %L::text,
           count(*)::bigint,
           extract(epoch from (clock_timestamp() - max(enqueued_at)))::integer,
           extract(epoch from (clock_timestamp() - min(enqueued_at)))::integer,
           coalesce((select last_value from pg_sequences
                      where schemaname = 'pgmq' and sequencename = %L), 0)::bigint,
           clock_timestamp(),
           count(*) filter (where vt <= clock_timestamp())::bigint
      from pgmq.%I$q$,
    queue_name, 'q_' || queue_name || '_msg_id_seq', 'q_' || queue_name) into result;
  return result;
end
$$;

create function pgmq.purge_queue(queue_name text) returns bigint
language plpgsql as $$
declare
  purged bigint;
begin
  execute format('with d as (delete from pgmq.%I returning 1) select count(*) from d', 'q_' || queue_name)
    into purged;
  return purged;
end
$$;

create function pgmq.drop_queue(queue_name text) returns boolean
language plpgsql as $$
begin
  perform pgmq.validate_queue_name(queue_name);
  if not exists (select 1 from pgmq.meta m where m.queue_name = drop_queue.queue_name) then
    return false;
  end if;
  execute format('drop table if exists pgmq.%I', 'q_' || queue_name);
  execute format('drop table if exists pgmq.%I', 'a_' || queue_name);
  delete from pgmq.meta m where m.queue_name = drop_queue.queue_name;
  return true;
end
$$;

create function pgmq.list_queues() returns setof pgmq.meta
language sql stable as $$ select * from pgmq.meta order by queue_name $$;
