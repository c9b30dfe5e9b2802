package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.sql.Sql;
import io.tasker.sql.Uuids;
import io.tasker.state.StepState;
import io.tasker.template.RetryPolicy;
import io.tasker.template.StepTemplate;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  /**
   * Creates a new task's steps (names as in their templates) with their first transitions, and the
   * edges between them: three batched statements whatever the number of steps.
   */
  static Map<String, UUID> createAll(
      Connection c, UUID task, List<StepTemplate> templates, List<Edge> edges) throws SQLException {
    Map<String, UUID> ids = new HashMap<>();
    List<Object[]> steps = new ArrayList<>();
    List<Object[]> firstTransitions = new ArrayList<>();
    for (StepTemplate template : templates) {
      UUID id = Uuids.v7();
      ids.put(template.name(), id);
      steps.add(insertArgs(id, task, template, template.name(), null));
      firstTransitions.add(new Object[] {id, null, StepState.PENDING.wire(), null});
    }
    int[] inserted = Sql.batch(c, "engine/insert_step", steps);
    for (int i = 0; i < inserted.length; i++) {
      if (inserted[i] == 0) {
        throw unregistered(templates.get(i));
      }
    }
    Sql.batch(c, "engine/step_transition", firstTransitions);
    List<Object[]> edgeRows = new ArrayList<>();
    for (Edge e : edges) {
      edgeRows.add(new Object[] {ids.get(e.from()), ids.get(e.to()), e.kind()});
    }
    if (!edgeRows.isEmpty()) {
      Sql.batch(c, "engine/insert_edge", edgeRows);
    }
    return ids;
  }

  /** An edge between two steps of {@link #createAll}, by step name. */
  record Edge(String from, String to, String kind) {}

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
