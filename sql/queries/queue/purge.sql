select pgmq.purge_queue(?)
