package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.Json;
import io.tasker.TaskerException;
import io.tasker.db.DatabaseException;
import io.tasker.queue.QueueWaker;
import io.tasker.sql.Sql;
import io.tasker.state.TaskState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The read side: the task document of DESIGN.md §9 (shared by the CLI's {@code --json}, REST and
 * the C ABI), task lists, step audits, and waiting for a task to finish.
 */
public final class TaskQueries {
  private final DataSource ds;

  public TaskQueries(DataSource ds) {
    this.ds = ds;
  }

  /** The task document: task fields plus {@code steps[]}. */
  public ObjectNode task(UUID task) {
    try (Connection c = ds.getConnection()) {
      return taskIn(c, task);
    } catch (SQLException e) {
      throw new DatabaseException("database_error", e.getMessage(), e);
    }
  }

  /** The task document, read on the caller's connection (inside its transaction). */
  ObjectNode taskIn(Connection c, UUID task) throws SQLException {
    ObjectNode doc =
        Sql.queryOne(c, "read/task", TaskQueries::taskRow, task)
            .orElseThrow(() -> new TaskerException("task_not_found", "no task " + task));
    ArrayNode steps = doc.putArray("steps");
    Sql.query(c, "read/steps", TaskQueries::stepRow, task).forEach(steps::add);
    return doc;
  }

  public TaskState state(UUID task) {
    try (Connection c = ds.getConnection()) {
      return Sql.queryOne(c, "read/task_state", rs -> TaskState.fromWire(rs.getString(1)), task)
          .orElseThrow(() -> new TaskerException("task_not_found", "no task " + task));
    } catch (SQLException e) {
      throw new DatabaseException("database_error", e.getMessage(), e);
    }
  }

  /** Filters are optional; newest first. */
  public List<ObjectNode> list(
      Optional<String> namespace,
      Optional<String> name,
      Optional<String> state,
      int limit,
      int offset) {
    try (Connection c = ds.getConnection()) {
      String ns = namespace.orElse(null);
      String n = name.orElse(null);
      String st = state.orElse(null);
      return Sql.query(
          c,
          "read/task_list",
          rs -> {
            ObjectNode o = Json.object();
            o.put("task_uuid", rs.getString("task_uuid"))
                .put("namespace", rs.getString("namespace"))
                .put("name", rs.getString("name"))
                .put("version", rs.getString("version"))
                .put("state", rs.getString("current_state"))
                .put("created_at", iso(Sql.instant(rs, "created_at")))
                .put("completed_at", iso(Sql.instant(rs, "completed_at")))
                .put("steps", rs.getInt("steps"))
                .put("steps_done", rs.getInt("steps_done"));
            return o;
          },
          ns,
          ns,
          n,
          n,
          st,
          st,
          limit,
          offset);
    } catch (SQLException e) {
      throw new DatabaseException("database_error", e.getMessage(), e);
    }
  }

  /**
   * Waits until the task is in a final state, woken by its notification (polling once a second in
   * case a notification is lost); returns the final state, or empty on timeout.
   */
  public Optional<TaskState> awaitFinal(UUID task, QueueWaker waker, Duration timeout)
      throws InterruptedException {
    String key = QueueWaker.taskKey(task.toString());
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        long seen = waker.generation(key);
        TaskState s = state(task);
        if (s.terminal()) {
          return Optional.of(s);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return Optional.empty();
        }
        waker.await(key, seen, Duration.ofNanos(Math.min(left, Duration.ofSeconds(1).toNanos())));
      }
    } finally {
      // another waiter of the same task still holds its signal, and polls at least once a second
      waker.forget(key);
    }
  }

  private static ObjectNode taskRow(ResultSet rs) throws SQLException {
    ObjectNode o = Json.object();
    o.put("task_uuid", rs.getString("task_uuid"))
        .put("namespace", rs.getString("namespace"))
        .put("name", rs.getString("name"))
        .put("version", rs.getString("version"))
        .put("state", rs.getString("current_state"));
    o.set("context", Json.parse(rs.getString("context"), "context"));
    o.put("correlation_id", rs.getString("correlation_id"))
        .put("priority", rs.getInt("priority"))
        .put("created_at", iso(Sql.instant(rs, "created_at")))
        .put("completed_at", iso(Sql.instant(rs, "completed_at")));
    return o;
  }

  private static ObjectNode stepRow(ResultSet rs) throws SQLException {
    ObjectNode o = Json.object();
    o.put("name", rs.getString("template_step_name"))
        .put("step_uuid", rs.getString("workflow_step_uuid"))
        .put("step_type", rs.getString("step_type"))
        .put("state", rs.getString("current_state"))
        .put("attempts", rs.getInt("attempts"))
        .put("max_attempts", rs.getInt("max_attempts"));
    JsonNode result = Json.parse(rs.getString("results"), "result");
    o.set("result", result == null ? Json.MAPPER.nullNode() : result);
    JsonNode err = Json.parse(rs.getString("last_error"), "error");
    if (err == null || rs.getString("current_state").equals("complete")) {
      o.putNull("error");
    } else {
      ObjectNode e = Json.object();
      e.set("message", err.path("message"));
      e.set("error_type", err.path("error_type"));
      e.set("retryable", err.path("retryable"));
      o.set("error", e);
    }
    o.put("next_attempt_at", iso(Sql.instant(rs, "next_attempt_at")))
        .put("created_at", iso(Sql.instant(rs, "created_at")))
        .put("last_attempted_at", iso(Sql.instant(rs, "last_attempted_at")))
        .put("completed_at", iso(Sql.instant(rs, "completed_at")));
    return o;
  }

  private static String iso(Instant t) {
    return t == null ? null : t.toString();
  }
}
