-- tasker bench scale: creation -> completion of the tasks that completed in a window
-- (parameters: window start, window end), in milliseconds.
select count(*) as tasks,
       percentile_disc(0.50) within group (order by ms) as p50_ms,
       percentile_disc(0.95) within group (order by ms) as p95_ms,
       percentile_disc(0.99) within group (order by ms) as p99_ms
  from (select extract(epoch from completed_at - created_at) * 1000 as ms
          from tasker.tasks
         where completed_at > ? and completed_at <= ?) finished
