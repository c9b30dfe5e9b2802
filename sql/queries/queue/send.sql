select * from pgmq.send(?, ?::jsonb, ?::integer)
