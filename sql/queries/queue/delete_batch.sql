select * from pgmq.delete(?, ?::bigint[])
