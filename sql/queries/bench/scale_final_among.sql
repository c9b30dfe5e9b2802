-- tasker bench scale: which of these tasks (a uuid[] parameter) are final; the load generator's
-- check when no final-state notification came for a while.
select task_uuid from tasker.tasks where task_uuid = any(?) and completed_at is not null
