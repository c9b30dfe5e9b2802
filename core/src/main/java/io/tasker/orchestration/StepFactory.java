package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.sql.Sql;
import io.tasker.sql.Uuids;
import io.tasker.state.StepState;
import io.tasker.template.RetryPolicy;
import io.tasker.template.StepTemplate;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/** Inserts workflow steps (with their first transition) and edges. */
final class StepFactory {
  /** Edge kinds: {@code provides} carries the parent's result; {@code gates} only orders. */
  static final String PROVIDES = "provides";

  static final String GATES = "gates";

  private StepFactory() {}

  /**
   * Creates a step from its template; {@code name} differs from the template's for batch workers
   * ({@code sum_batch_001}).
   */
  static UUID create(Connection c, UUID task, StepTemplate template, String name, JsonNode inputs)
      throws SQLException {
    UUID id = Uuids.v7();
    if (Sql.update(c, "engine/insert_step", insertArgs(id, task, template, name, inputs)) == 0) {
      throw unregistered(template);
    }
    StateWriter.step(c, id, null, StepState.PENDING, null);
    return id;
  }

  /** A static step as {@code tasker.create_task} takes it (the columns of {@link #insertArgs}). */
  static com.fasterxml.jackson.databind.node.ObjectNode row(UUID id, StepTemplate template) {
    RetryPolicy retry = template.retry();
    return io.tasker.Json.object()
        .put("uuid", id.toString())
        .put("name", template.name())
        .put("template_step", template.name())
        .put("type", template.type().yamlName())
        .put("retryable", retry.retryable())
        .put("max_attempts", retry.maxAttempts())
        .put("timeout_seconds", template.timeoutSeconds())
        .put("backoff_base_ms", retry.backoffBaseMs())
        .put("max_backoff_ms", retry.maxBackoffMs());
  }

  private static Object[] insertArgs(
      UUID id, UUID task, StepTemplate template, String name, JsonNode inputs) {
    RetryPolicy retry = template.retry();
    return new Object[] {
      id,
      task,
      name,
      template.type().yamlName(),
      retry.retryable(),
      retry.maxAttempts(),
      template.timeoutSeconds(),
      retry.backoffBaseMs(),
      retry.maxBackoffMs(),
      inputs,
      template.name()
    };
  }

  private static io.tasker.TaskerException unregistered(StepTemplate template) {
    // named steps are recorded at registration; a miss means the template was not registered
    return new io.tasker.TaskerException(
        "internal_error", "step '" + template.name() + "' of an unregistered template");
  }

  static void edge(Connection c, UUID from, UUID to, String kind) throws SQLException {
    Sql.update(c, "engine/insert_edge", from, to, kind);
  }
}
