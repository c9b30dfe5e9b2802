-- %1$s: queue name, checked against [a-z0-9_]{1,47} before it gets here
insert into pgmq.q_%1$s (vt, message)
values (clock_timestamp() + ? * interval '1 millisecond', ?::jsonb)
returning msg_id
