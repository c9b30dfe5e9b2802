package io.tasker.api;

import io.tasker.TaskerException;

/**
 * A failure only HTTP has (401, 403, 413, 415, 503 under backpressure, unknown route): its status
 * and, for 503, how long the client should wait.
 */
public final class HttpProblem extends TaskerException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final int retryAfterSeconds;

  public HttpProblem(int status, String code, String message) {
    this(status, code, message, 0);
  }

  public HttpProblem(int status, String code, String message, int retryAfterSeconds) {
    super(code, message);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int status() {
    return status;
  }

  /** 0: no {@code Retry-After} header. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
