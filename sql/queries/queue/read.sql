-- Claims up to N visible messages, oldest first. SKIP LOCKED lets concurrent readers take
-- disjoint sets; a claimed message stays hidden for the visibility timeout, then comes back.
with claimed as (
  select msg_id from pgmq.q_%1$s
   where vt <= clock_timestamp()
   order by msg_id
   limit ?
   for update skip locked
), updated as (
  update pgmq.q_%1$s m
     set vt = clock_timestamp() + ? * interval '1 millisecond',
         read_ct = m.read_ct + 1
    from claimed
   where m.msg_id = claimed.msg_id
  returning m.msg_id, m.read_ct, m.enqueued_at, m.vt, m.message
)
select * from updated order by msg_id
