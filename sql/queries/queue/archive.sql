select pgmq.archive(?, ?::bigint)
