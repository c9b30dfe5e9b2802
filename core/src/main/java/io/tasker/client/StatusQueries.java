package io.tasker.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.tasker.BuildInfo;
import io.tasker.Json;
import io.tasker.db.DatabaseException;
import io.tasker.sql.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What health checks and metrics read: a database round trip, the connection pool's counters, queue
 * depths and the open DLQ entries.
 */
public final class StatusQueries {
  /** A queue's depth: messages in it, and the age of the oldest (0 when empty). */
  public record QueueDepth(String queue, long length, long oldestAgeSeconds) {}

  /** The pool's counters; {@code pending} = threads waiting for a connection. */
  public record PoolStats(int active, int idle, int total, int pending, int max) {}

  private final DataSource ds;

  public StatusQueries(DataSource ds) {
    this.ds = ds;
  }

  /** Round-trip time of {@code select 1} in milliseconds; throws when the database is down. */
  public double pingMillis() {
    long start = System.nanoTime();
    try (Connection c = ds.getConnection()) {
      Sql.queryOne(c, "api/ping", rs -> rs.getInt(1));
    } catch (SQLException e) {
      throw new DatabaseException("database_unavailable", "database check failed: " + e, e);
    }
    return (System.nanoTime() - start) / 1e6;
  }

  /** The pool's counters, when the data source is tasker's Hikari pool. */
  public Optional<PoolStats> pool() {
    if (!(ds instanceof HikariDataSource h) || h.getHikariPoolMXBean() == null) {
      return Optional.empty();
    }
    var mx = h.getHikariPoolMXBean();
    return Optional.of(
        new PoolStats(
            mx.getActiveConnections(),
            mx.getIdleConnections(),
            mx.getTotalConnections(),
            mx.getThreadsAwaitingConnection(),
            h.getMaximumPoolSize()));
  }

  public List<QueueDepth> queueDepths() {
    try (Connection c = ds.getConnection()) {
      return Sql.query(
          c,
          "api/queue_depths",
          rs ->
              new QueueDepth(
                  rs.getString(1), rs.getLong(2), rs.getObject(3) == null ? 0 : rs.getLong(3)));
    } catch (SQLException e) {
      throw new DatabaseException("database_error", "cannot read queue depths: " + e, e);
    }
  }

  public long pendingDlqEntries() {
    try (Connection c = ds.getConnection()) {
      return Sql.queryOne(c, "api/dlq_pending", rs -> rs.getLong(1)).orElse(0L);
    } catch (SQLException e) {
      throw new DatabaseException("database_error", "cannot count DLQ entries: " + e, e);
    }
  }

  /**
   * The health document: {@code healthy} when the database answers, with the pool's counters and
   * the queue depths; {@code unhealthy} (never an exception) with the reason when it does not.
   */
  public ObjectNode health() {
    ObjectNode doc = Json.object();
    doc.put("status", "healthy")
        .put("version", BuildInfo.version())
        .put("timestamp", Instant.now().toString());
    ObjectNode checks = doc.putObject("checks");
    ObjectNode db = checks.putObject("database");
    try {
      db.put("status", "healthy").put("latency_ms", Math.round(pingMillis() * 1000) / 1000.0);
    } catch (RuntimeException e) {
      doc.put("status", "unhealthy");
      db.put("status", "unhealthy").put("message", e.getMessage());
      return doc;
    }
    pool()
        .ifPresent(
            p ->
                checks
                    .putObject("pool")
                    .put("status", p.pending() > 0 ? "saturated" : "healthy")
                    .put("active", p.active())
                    .put("idle", p.idle())
                    .put("total", p.total())
                    .put("pending", p.pending())
                    .put("max", p.max()));
    ObjectNode queues = checks.putObject("queues");
    queues.put("status", "healthy");
    ObjectNode depths = queues.putObject("depths");
    queueDepths().forEach(q -> depths.put(q.queue(), q.length()));
    return doc;
  }
}
