select queue_name, queue_length, newest_msg_age_sec, oldest_msg_age_sec, total_messages from pgmq.metrics(?)
