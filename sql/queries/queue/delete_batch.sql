delete from pgmq.q_%1$s where msg_id = any(?::bigint[]) returning msg_id
