package io.tasker.orchestration;

import io.tasker.TaskerException;
import java.util.UUID;

/** A task with the same identity exists already (REST: 409; CLI: exit 2). */
public final class DuplicateTaskException extends TaskerException {
  private static final long serialVersionUID = 1L;

  private final UUID existingTask;

  public DuplicateTaskException(String templateKey, UUID existingTask) {
    super(
        "duplicate_task",
        "a task with the same identity already exists for "
            + templateKey
            + ": "
            + existingTask
            + " (pass a different idempotency key to create another)");
    this.existingTask = existingTask;
  }

  public UUID existingTask() {
    return existingTask;
  }
}
