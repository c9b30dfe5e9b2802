package io.tasker.template;

/**
 * A step's retry settings. Defaults follow tasker-core, except the backoff cap, which follows
 * DESIGN.md (one hour).
 *
 * @param backoff one of {@code none}, {@code linear}, {@code exponential}, {@code fibonacci}
 */
public record RetryPolicy(
    boolean retryable, int maxAttempts, String backoff, long backoffBaseMs, long maxBackoffMs) {

  public static final RetryPolicy DEFAULT =
      new RetryPolicy(true, 3, "exponential", 1000, 3_600_000);
}
