select pgmq.drop_queue(?)
