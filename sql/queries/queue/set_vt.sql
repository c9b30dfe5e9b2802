select msg_id, read_ct, enqueued_at, vt, message from pgmq.set_vt(?, ?::bigint, ?::integer)
