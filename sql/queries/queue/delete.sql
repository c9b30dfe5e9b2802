select pgmq.delete(?, ?::bigint)
