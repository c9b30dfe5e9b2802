select pgmq.create(?)
