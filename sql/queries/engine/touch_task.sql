-- progress without a state change (a step reported while the task stays in steps_in_process):
-- the staleness sweep measures time since the last progress by updated_at
update tasker.tasks set updated_at = now() where task_uuid = ?
