select m.queue_name, m.queue_length, m.oldest_msg_age_sec
  from pgmq.list_queues() q, lateral pgmq.metrics(q.queue_name) m
 order by m.queue_name
