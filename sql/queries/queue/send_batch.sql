select * from pgmq.send_batch(?, ?::jsonb[], ?::integer)
