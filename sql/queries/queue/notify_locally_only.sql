-- this transaction's sends to the queue named here skip the NOTIFY (tasker.notify_queue_insert):
-- the sender wakes a consumer of its own process at commit
select set_config('tasker.woken_locally', ?, true)
