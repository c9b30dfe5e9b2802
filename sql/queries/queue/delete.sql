delete from pgmq.q_%1$s where msg_id = ? returning msg_id
