package io.tasker.orchestration;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retry delay: {@code base × 2^(attempts-1)}, capped, with ±10 % jitter so retries of many steps
 * that failed together do not arrive together. A handler's hint (Retry-After) wins, within the cap.
 */
public final class Backoff {
  public static final long DEFAULT_BASE_MS = 1_000;
  public static final long DEFAULT_MAX_MS = 3_600_000;

  private Backoff() {}

  public static Duration delay(int attempts, long baseMs, long maxMs, Integer hintSeconds) {
    long cap = maxMs > 0 ? maxMs : DEFAULT_MAX_MS;
    if (hintSeconds != null && hintSeconds >= 0) {
      return Duration.ofMillis(Math.min(cap, hintSeconds * 1000L));
    }
    long base = baseMs >= 0 ? baseMs : DEFAULT_BASE_MS;
    int exponent = Math.clamp(attempts - 1, 0, 30);
    long raw = Math.min(cap, base * (1L << exponent));
    double jitter = 0.9 + ThreadLocalRandom.current().nextDouble() * 0.2;
    return Duration.ofMillis(Math.min(cap, Math.round(raw * jitter)));
  }
}
