-- the task evaluator (sql/migrations/V5__step_functions.sql); args: task, its current state (locked
-- by the caller), correlation id, the namespace's worker queue, wake locally
select task_state, enqueued from tasker.advance_task(?, ?, ?, ?, ?)
