package io.tasker.worker;

import io.tasker.TaskerException;
import java.time.Duration;
import java.util.Optional;

/** Thrown by a handler: this attempt failed, try again (after {@code retryAfter} when given). */
public class RetryableError extends TaskerException {
  private static final long serialVersionUID = 1L;

  private final transient Duration retryAfter;
  private final String errorType;

  public RetryableError(String message) {
    this(message, null, "retryable_error");
  }

  public RetryableError(String message, Duration retryAfter) {
    this(message, retryAfter, "retryable_error");
  }

  public RetryableError(String message, Duration retryAfter, String errorType) {
    super("retryable_error", message);
    this.retryAfter = retryAfter;
    this.errorType = errorType;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  public String errorType() {
    return errorType;
  }
}
