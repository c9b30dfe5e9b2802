update tasker.dlq_entries
   set resolution_status = ?, resolution_notes = ?, resolved_by = ?,
       resolution_timestamp = now(), updated_at = now()
 where dlq_entry_uuid = ? and resolution_status = 'pending'
returning task_uuid
