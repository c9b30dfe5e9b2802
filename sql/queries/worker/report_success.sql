-- a success on the hot path in one call (sql/migrations/V5__step_functions.sql); args: queue,
-- message id, task, step, attempt, result, the namespace's worker queue, wake locally, claim token
-- (null: claim nothing), visibility timeout ms, delivery limit, deadline grace ms. The claimed next
-- step's columns follow the report's own.
select r.outcome as report_outcome, r.task_state, r.enqueued, (r.next).*
  from tasker.report_success(?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?) r
