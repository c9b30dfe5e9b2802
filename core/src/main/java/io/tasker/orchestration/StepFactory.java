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
    RetryPolicy retry = template.retry();
    int updated =
        Sql.update(
            c,
            "engine/insert_step",
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
            template.name());
    if (updated == 0) {
      // named steps are recorded at registration; a miss means the template was not registered
      throw new io.tasker.TaskerException(
          "internal_error", "step '" + template.name() + "' of an unregistered template");
    }
    StateWriter.step(c, id, null, StepState.PENDING, null);
    return id;
  }

  static void edge(Connection c, UUID from, UUID to, String kind) throws SQLException {
    Sql.update(c, "engine/insert_edge", from, to, kind);
  }
}
