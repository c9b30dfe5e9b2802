select resolution_status, dlq_reason, count(*) as entries,
       min(dlq_timestamp) as oldest, max(dlq_timestamp) as newest
  from tasker.dlq_entries
 group by resolution_status, dlq_reason
 order by resolution_status, dlq_reason
