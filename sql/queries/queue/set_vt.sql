update pgmq.q_%1$s
   set vt = clock_timestamp() + ? * interval '1 millisecond'
 where msg_id = ?
returning msg_id, read_ct, enqueued_at, vt, message
