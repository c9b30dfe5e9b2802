package io.tasker.api;

import io.tasker.client.StatusQueries;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides when the server is saturated, so {@code POST /v1/tasks} answers 503 + {@code Retry-After}
 * at once instead of timing out: more threads than {@link ApiConfig#maxWaitingForConnection()} wait
 * for a database connection, or a queue holds more than {@link ApiConfig#maxQueueDepth()} messages.
 * Queue depths are read at most once per {@link #DEPTH_REFRESH_NANOS}, so the check costs no query
 * on the hot path.
 */
final class Backpressure {
  static final long DEPTH_REFRESH_NANOS = 1_000_000_000L;

  private final StatusQueries status;
  private final ApiConfig config;
  private final AtomicLong depthReadAt = new AtomicLong(System.nanoTime() - DEPTH_REFRESH_NANOS);
  private volatile long deepestQueue;
  private volatile String deepestQueueName = "";

  Backpressure(StatusQueries status, ApiConfig config) {
    this.status = status;
    this.config = config;
  }

  void check() {
    var pool = status.pool();
    if (pool.isPresent() && pool.get().pending() > config.maxWaitingForConnection()) {
      throw saturated(
          pool.get().pending()
              + " requests wait for a database connection (limit "
              + config.maxWaitingForConnection()
              + ")");
    }
    refreshDepth();
    if (deepestQueue > config.maxQueueDepth()) {
      throw saturated(
          "queue "
              + deepestQueueName
              + " holds "
              + deepestQueue
              + " messages (limit "
              + config.maxQueueDepth()
              + ")");
    }
  }

  private void refreshDepth() {
    long last = depthReadAt.get();
    long now = System.nanoTime();
    if (now - last < DEPTH_REFRESH_NANOS || !depthReadAt.compareAndSet(last, now)) {
      return;
    }
    long max = 0;
    String name = "";
    for (var q : status.queueDepths()) {
      if (q.length() > max) {
        max = q.length();
        name = q.queue();
      }
    }
    deepestQueue = max;
    deepestQueueName = name;
  }

  private HttpProblem saturated(String why) {
    return new HttpProblem(
        503,
        "saturated",
        "the server is saturated: " + why + "; retry later",
        config.retryAfterSeconds());
  }
}
