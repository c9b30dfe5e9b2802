package io.tasker.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tasker.client.StatusQueries;
import io.tasker.db.DatabaseException;
import io.tasker.sql.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Prometheus registry of the server: HTTP request timings, and — refreshed on every scrape from
 * the database, so they cover every worker process — queue depths, the open DLQ entries, the
 * connection pool, and step durations and retries by namespace and handler.
 */
public final class ApiMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(ApiMetrics.class);

  /** Steps read per scrape at most (the rest are read by the next scrape). */
  private static final int STEPS_PER_SCRAPE = 10_000;

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final DataSource ds;
  private final StatusQueries status;
  private final MultiGauge queueDepth;
  private final MultiGauge pool;
  private final AtomicLong dlqPending = new AtomicLong();
  private Instant watermark = Instant.now();

  public ApiMetrics(DataSource ds, StatusQueries status) {
    this.ds = ds;
    this.status = status;
    queueDepth =
        MultiGauge.builder("tasker_queue_depth")
            .description("messages in each queue (visible or not)")
            .register(registry);
    pool =
        MultiGauge.builder("tasker_db_pool_connections")
            .description("database pool connections by state (pending = threads waiting)")
            .register(registry);
    Gauge.builder("tasker_dlq_pending_entries", dlqPending, AtomicLong::get)
        .description("open DLQ investigations")
        .register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Records one HTTP request by route template (never the raw path: bounded cardinality). */
  public void request(String method, String route, int status, long nanos) {
    Timer.builder("tasker_http_requests")
        .tags("method", method, "route", route, "status", Integer.toString(status))
        .publishPercentileHistogram(false)
        .register(registry)
        .record(Duration.ofNanos(nanos));
  }

  /** Refreshes the database-backed meters, then renders the Prometheus text format. */
  public synchronized String scrape() {
    try {
      refresh();
    } catch (RuntimeException e) {
      // the scrape still answers (HTTP and JVM meters); the failure is visible in the log
      LOG.warn("metrics refresh failed: {}", e.getMessage());
    }
    return registry.scrape();
  }

  private void refresh() {
    queueDepth.register(
        status.queueDepths().stream()
            .map(q -> MultiGauge.Row.of(Tags.of("queue", q.queue()), q.length()))
            .toList(),
        true);
    status
        .pool()
        .ifPresent(
            p ->
                pool.register(
                    List.of(
                        MultiGauge.Row.of(Tags.of("state", "active"), p.active()),
                        MultiGauge.Row.of(Tags.of("state", "idle"), p.idle()),
                        MultiGauge.Row.of(Tags.of("state", "pending"), p.pending()),
                        MultiGauge.Row.of(Tags.of("state", "max"), p.max())),
                    true));
    dlqPending.set(status.pendingDlqEntries());
    recordCompletedSteps();
  }

  /** Step durations and retries of the steps finished since the last scrape. */
  private void recordCompletedSteps() {
    try (Connection c = ds.getConnection()) {
      Sql.query(
          c,
          "api/completed_steps",
          rs -> {
            Tags tags =
                Tags.of(
                    "namespace", rs.getString("namespace"),
                    "handler", rs.getString("handler"),
                    "state", rs.getString("current_state"));
            Timer.builder("tasker_step_duration")
                .description("time from a step's last attempt to its completion")
                .publishPercentiles(0.5, 0.95, 0.99)
                .tags(tags)
                .register(registry)
                .record(Duration.ofNanos((long) (rs.getDouble("seconds") * 1e9)));
            Counter.builder("tasker_step_retries")
                .description("attempts beyond the first of finished steps")
                .tags(tags)
                .register(registry)
                .increment(Math.max(0, rs.getInt("attempts") - 1));
            Timestamp t = rs.getTimestamp("completed_at");
            if (t.toInstant().isAfter(watermark)) {
              watermark = t.toInstant();
            }
            return null;
          },
          Timestamp.from(watermark),
          STEPS_PER_SCRAPE);
    } catch (SQLException e) {
      throw new DatabaseException("database_error", "cannot read finished steps: " + e, e);
    }
  }
}
