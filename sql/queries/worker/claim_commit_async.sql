-- A claim's commit need not wait for its WAL flush: a claim lost in a crash is a message read
-- again after the restart (its step still enqueued), exactly what a worker crash before the claim
-- leaves; the report that follows commits durably, and flushing it flushes the claim before it.
set local synchronous_commit = off
