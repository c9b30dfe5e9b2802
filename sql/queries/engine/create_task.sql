-- a task, its static steps, edges and first messages in one call (sql/migrations/V5__step_functions.sql)
select created, task_state, enqueued
  from tasker.create_task(?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?::jsonb, ?, ?)
