select count(*) from tasker.dlq_entries where resolution_status = 'pending'
