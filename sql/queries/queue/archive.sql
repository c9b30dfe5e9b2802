with archived as (
  delete from pgmq.q_%1$s where msg_id = ?
  returning msg_id, vt, read_ct, enqueued_at, message
)
insert into pgmq.a_%1$s (msg_id, vt, read_ct, enqueued_at, message)
select msg_id, vt, read_ct, enqueued_at, message from archived
returning msg_id
