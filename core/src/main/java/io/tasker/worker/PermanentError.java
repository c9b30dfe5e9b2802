package io.tasker.worker;

import io.tasker.TaskerException;

/** Thrown by a handler: the step fails without further attempts. */
public class PermanentError extends TaskerException {
  private static final long serialVersionUID = 1L;

  private final String errorType;

  public PermanentError(String message) {
    this(message, "permanent_error");
  }

  public PermanentError(String message, String errorType) {
    super("permanent_error", message);
    this.errorType = errorType;
  }

  public String errorType() {
    return errorType;
  }
}
