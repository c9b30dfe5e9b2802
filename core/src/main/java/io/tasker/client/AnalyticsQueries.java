package io.tasker.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.Json;
import io.tasker.db.DatabaseException;
import io.tasker.sql.Sql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** The read-side queries only clients need: task counts, step audits, analytics. */
final class AnalyticsQueries {
  private final DataSource ds;

  AnalyticsQueries(DataSource ds) {
    this.ds = ds;
  }

  long countTasks(Optional<String> namespace, Optional<String> name, Optional<String> state) {
    String ns = namespace.orElse(null);
    String n = name.orElse(null);
    String st = state.orElse(null);
    try (Connection c = ds.getConnection()) {
      return Sql.queryOne(c, "api/task_count", rs -> rs.getLong(1), ns, ns, n, n, st, st)
          .orElse(0L);
    } catch (SQLException e) {
      throw new DatabaseException("database_error", "cannot count tasks: " + e.getMessage(), e);
    }
  }

  /** The transitions of a step, oldest first. */
  ArrayNode stepAudit(UUID step) {
    try (Connection c = ds.getConnection()) {
      ArrayNode out = Json.MAPPER.createArrayNode();
      Sql.query(
              c,
              "read/step_audit",
              rs -> {
                ObjectNode o = Json.object();
                o.put("step_uuid", step.toString())
                    .put("from_state", rs.getString("from_state"))
                    .put("to_state", rs.getString("to_state"))
                    .put("sort_key", rs.getInt("sort_key"));
                o.set("metadata", Json.parse(rs.getString("metadata"), "transition metadata"));
                o.put("created_at", String.valueOf(Sql.instant(rs, "created_at")));
                return o;
              },
              step)
          .forEach(out::add);
      return out;
    } catch (SQLException e) {
      throw new DatabaseException("database_error", "cannot read the audit: " + e.getMessage(), e);
    }
  }

  /** Task and step counts and durations by template for tasks created within {@code window}. */
  ObjectNode analytics(Duration window) {
    double seconds = window.toMillis() / 1000.0;
    ObjectNode doc = Json.object();
    doc.put("window_seconds", seconds);
    try (Connection c = ds.getConnection()) {
      ArrayNode templates = doc.putArray("templates");
      Sql.query(c, "api/analytics_tasks", AnalyticsQueries::taskRow, seconds)
          .forEach(templates::add);
      ArrayNode steps = doc.putArray("steps");
      Sql.query(c, "api/analytics_steps", AnalyticsQueries::stepRow, seconds).forEach(steps::add);
      return doc;
    } catch (SQLException e) {
      throw new DatabaseException("database_error", "cannot read analytics: " + e.getMessage(), e);
    }
  }

  private static ObjectNode taskRow(ResultSet rs) throws SQLException {
    ObjectNode o = key(rs);
    o.put("tasks", rs.getLong("tasks"))
        .put("complete", rs.getLong("complete"))
        .put("error", rs.getLong("error"))
        .put("cancelled", rs.getLong("cancelled"))
        .put("resolved_manually", rs.getLong("resolved_manually"))
        .put("in_progress", rs.getLong("in_progress"));
    millis(o, rs, "avg_duration_ms");
    millis(o, rs, "p50_duration_ms");
    millis(o, rs, "p95_duration_ms");
    return o;
  }

  private static ObjectNode stepRow(ResultSet rs) throws SQLException {
    ObjectNode o = key(rs);
    o.put("step", rs.getString("step"))
        .put("steps", rs.getLong("steps"))
        .put("done", rs.getLong("done"))
        .put("error", rs.getLong("error"))
        .put("retries", rs.getLong("retries"));
    millis(o, rs, "avg_duration_ms");
    return o;
  }

  private static ObjectNode key(ResultSet rs) throws SQLException {
    return Json.object()
        .put("namespace", rs.getString("namespace"))
        .put("name", rs.getString("name"))
        .put("version", rs.getString("version"));
  }

  /** A duration column rounded to microseconds; null when no task of the group finished. */
  private static void millis(ObjectNode o, ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    if (rs.wasNull()) {
      o.putNull(column);
    } else {
      o.put(column, Math.round(v * 1000) / 1000.0);
    }
  }
}
