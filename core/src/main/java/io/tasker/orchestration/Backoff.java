package io.tasker.orchestration;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retry delay: {@code base × 2^(attempts-1)}, capped by the step's {@code max_backoff_ms}, with ±10
 * % jitter so retries of many steps that failed together do not arrive together. A handler's hint
 * (Retry-After) wins over the step's backoff and cap (it knows, e.g., when a rate limit resets),
 * bounded only by the system ceiling of one hour.
 */
public final class Backoff {
  public static final long DEFAULT_BASE_MS = 1_000;
  public static final long DEFAULT_MAX_MS = 3_600_000;

  private Backoff() {}

  public static Duration delay(int attempts, long baseMs, long maxMs, Long hintMs) {
    if (hintMs != null && hintMs >= 0) {
      return Duration.ofMillis(Math.min(DEFAULT_MAX_MS, hintMs));
    }
    long cap = maxMs > 0 ? maxMs : DEFAULT_MAX_MS;
    long base = baseMs >= 0 ? baseMs : DEFAULT_BASE_MS;
    int exponent = Math.clamp(attempts - 1, 0, 30);
    long raw = Math.min(cap, base * (1L << exponent));
    double jitter = 0.9 + ThreadLocalRandom.current().nextDouble() * 0.2;
    return Duration.ofMillis(Math.min(cap, Math.round(raw * jitter)));
  }
}
