package io.tasker.bench;

import io.tasker.db.Database;
import io.tasker.db.DatabaseException;
import io.tasker.db.DatabaseUrl;
import io.tasker.sql.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * What {@code tasker bench scale} reads from the database of a point: completed steps and committed
 * transactions at an instant (so steps/s and commits/step cover the same window), the latency of
 * the tasks that finished in a window, and the server's processes and connection budget.
 */
final class ScaleProbe {
  /** Counters at one instant of the database's clock. */
  record Progress(Instant at, long stepsComplete, long commits) {}

  /** Connections a non-superuser may open, and those open now (every database's). */
  record Connections(int usable, int inUse) {}

  private final DatabaseUrl database;
  private final CommitCounter commits;

  ScaleProbe(DatabaseUrl database) {
    this.database = database;
    this.commits = new CommitCounter(database);
  }

  /** Commits first: its reading waits for the backends' once-a-second statistics report. */
  Progress progress() {
    long committed = commits.read();
    return query(
        c ->
            Sql.queryOne(
                    c,
                    "bench/scale_progress",
                    rs -> new Progress(Sql.instant(rs, "at"), rs.getLong(2), committed))
                .orElseThrow());
  }

  ScaleReport.Latency latency(Instant from, Instant to) {
    return query(
        c ->
            Sql.queryOne(
                    c,
                    "bench/scale_latency",
                    rs ->
                        new ScaleReport.Latency(
                            rs.getLong("tasks"),
                            rs.getDouble("p50_ms"),
                            rs.getDouble("p95_ms"),
                            rs.getDouble("p99_ms")),
                    from,
                    to)
                .orElseThrow());
  }

  /** This database's backends and the server's background processes. */
  List<Long> serverPids() {
    return query(c -> Sql.query(c, "bench/scale_server_pids", rs -> rs.getLong(1)));
  }

  Connections connections() {
    return query(
        c ->
            Sql.queryOne(
                    c, "bench/scale_connections", rs -> new Connections(rs.getInt(1), rs.getInt(2)))
                .orElseThrow());
  }

  @FunctionalInterface
  private interface Reading<T> {
    T read(Connection c) throws SQLException;
  }

  private <T> T query(Reading<T> reading) {
    try (Connection c = Database.connect(database)) {
      return reading.read(c);
    } catch (SQLException e) {
      throw new DatabaseException(
          "database_error", "bench scale cannot read " + database.describe() + ": " + e, e);
    }
  }
}
