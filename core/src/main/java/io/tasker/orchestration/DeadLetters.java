package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.Json;
import io.tasker.TaskerException;
import io.tasker.db.DatabaseException;
import io.tasker.sql.Sql;
import io.tasker.state.TaskState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead letter queue: tasks stuck in one state past their template's {@code lifecycle} limits
 * are moved to {@code error} with an investigation record holding a snapshot of the task; operators
 * list, inspect and resolve the records.
 */
public final class DeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  /** Default limits in minutes when a template's lifecycle sets none. */
  public record Limits(int waitingForDependencies, int waitingForRetry, int inProcess) {
    public static Limits defaults() {
      return new Limits(60, 120, 30);
    }
  }

  /** A task past its limit, and its template's staleness_action. */
  private record Stale(UUID task, TaskState state, String action) {}

  public enum Resolution {
    MANUALLY_RESOLVED,
    PERMANENTLY_FAILED,
    CANCELLED
  }

  private final Engine engine;
  private final Limits limits;

  public DeadLetters(Engine engine, Limits limits) {
    this.engine = engine;
    this.limits = limits;
  }

  /** Moves stale tasks (at most {@code max}) to the DLQ; returns how many. */
  public int sweep(int max) {
    return engine.inTx(
        tx -> {
          var c = tx.connection();
          List<Stale> stale =
              Sql.query(
                  c,
                  "dlq/stale_tasks",
                  rs ->
                      new Stale(
                          rs.getObject(1, UUID.class),
                          TaskState.fromWire(rs.getString(2)),
                          rs.getString(3)),
                  limits.waitingForDependencies(),
                  limits.waitingForRetry(),
                  limits.inProcess(),
                  max);
          for (Stale s : stale) {
            UUID task = s.task();
            TaskState state = s.state();
            JsonNode note =
                Json.object().put("reason", "staleness_timeout").put("stuck_in", state.wire());
            if ("dlq".equals(s.action())) {
              ObjectNode snapshot = new TaskQueries(engine.database().dataSource()).taskIn(c, task);
              Sql.update(
                  c, "dlq/insert_entry", task, state.wire(), "staleness_timeout", snapshot, note);
            }
            StateWriter.task(c, task, state, TaskState.ERROR, note);
            tx.sentTo(io.tasker.queue.QueueWaker.taskKey(task.toString()));
            LOG.warn(
                "task {} stuck in {} past its lifecycle limit: moved to error ({})",
                task,
                state.wire(),
                s.action());
          }
          return stale.size();
        });
  }

  public List<ObjectNode> list(Optional<String> status, int limit, int offset) {
    try (Connection c = engine.database().dataSource().getConnection()) {
      String st = status.orElse(null);
      return Sql.query(c, "dlq/list", DeadLetters::row, st, st, limit, offset);
    } catch (SQLException e) {
      throw new DatabaseException("database_error", e.getMessage(), e);
    }
  }

  public ObjectNode show(UUID entry) {
    try (Connection c = engine.database().dataSource().getConnection()) {
      return Sql.queryOne(
              c,
              "dlq/show",
              rs -> {
                ObjectNode o = row(rs);
                o.set("task_snapshot", Json.parse(rs.getString("task_snapshot"), "snapshot"));
                o.set("metadata", Json.parse(rs.getString("metadata"), "metadata"));
                return o;
              },
              entry)
          .orElseThrow(() -> new TaskerException("dlq_entry_not_found", "no DLQ entry " + entry));
    } catch (SQLException e) {
      throw new DatabaseException("database_error", e.getMessage(), e);
    }
  }

  /** Closes an open investigation. */
  public UUID resolve(UUID entry, Resolution resolution, String notes, String by) {
    return engine.inTx(
        tx ->
            Sql.queryOne(
                    tx.connection(),
                    "dlq/resolve",
                    rs -> rs.getObject(1, UUID.class),
                    resolution.name().toLowerCase(java.util.Locale.ROOT),
                    notes,
                    by,
                    entry)
                .orElseThrow(
                    () ->
                        new TaskerException("dlq_entry_not_found", "no open DLQ entry " + entry)));
  }

  public List<ObjectNode> stats() {
    try (Connection c = engine.database().dataSource().getConnection()) {
      return Sql.query(
          c,
          "dlq/stats",
          rs -> {
            ObjectNode o = Json.object();
            o.put("resolution_status", rs.getString(1))
                .put("dlq_reason", rs.getString(2))
                .put("entries", rs.getLong(3));
            return o;
          });
    } catch (SQLException e) {
      throw new DatabaseException("database_error", e.getMessage(), e);
    }
  }

  /** Runs {@link #sweep} every {@code every} on a daemon thread until closed. */
  public AutoCloseable schedule(Duration every) {
    Thread t =
        Thread.ofVirtual()
            .name("dlq-sweeper")
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    try {
                      Thread.sleep(every);
                      sweep(100);
                    } catch (InterruptedException e) {
                      return;
                    } catch (RuntimeException e) {
                      LOG.warn("staleness sweep failed: {}", e.getMessage());
                    }
                  }
                });
    return t::interrupt;
  }

  private static ObjectNode row(ResultSet rs) throws SQLException {
    ObjectNode o = Json.object();
    o.put("dlq_entry_uuid", rs.getString("dlq_entry_uuid"))
        .put("task_uuid", rs.getString("task_uuid"))
        .put("namespace", rs.getString("namespace"))
        .put("name", rs.getString("name"))
        .put("version", rs.getString("version"))
        .put("original_state", rs.getString("original_state"))
        .put("dlq_reason", rs.getString("dlq_reason"))
        .put("dlq_timestamp", String.valueOf(Sql.instant(rs, "dlq_timestamp")))
        .put("resolution_status", rs.getString("resolution_status"))
        .put("resolution_notes", rs.getString("resolution_notes"))
        .put("resolved_by", rs.getString("resolved_by"));
    return o;
  }
}
