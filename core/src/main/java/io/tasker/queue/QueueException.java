package io.tasker.queue;

import io.tasker.TaskerException;

/** A queue operation failed: unknown queue, bad name, or the database refused it. */
public final class QueueException extends TaskerException {
  private static final long serialVersionUID = 1L;

  public QueueException(String code, String message, Throwable cause) {
    super(code, message, cause);
  }
}
