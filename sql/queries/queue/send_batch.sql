insert into pgmq.q_%1$s (vt, message)
select clock_timestamp() + ? * interval '1 millisecond', m
  from unnest(?::jsonb[]) with ordinality as t(m, n)
 order by n
returning msg_id
