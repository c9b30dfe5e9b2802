select tasker.enable_queue_notify(?)
