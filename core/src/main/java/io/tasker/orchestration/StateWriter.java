package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.sql.Sql;
import io.tasker.state.StepState;
import io.tasker.state.TaskState;
import io.tasker.state.Transitions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Writes state changes as transition rows. Checked here against {@link Transitions} for a clear
 * error before the database checks again (and checks that {@code from} is still current).
 */
final class StateWriter {
  private StateWriter() {}

  static void task(Connection c, UUID task, TaskState from, TaskState to, JsonNode metadata)
      throws SQLException {
    if (from != null) {
      Transitions.TASK.check(from, to);
    }
    Sql.update(
        c,
        "engine/task_transition",
        task,
        from == null ? null : from.wire(),
        to.wire(),
        null,
        metadata);
  }

  static void step(Connection c, UUID step, StepState from, StepState to, JsonNode metadata)
      throws SQLException {
    if (from != null) {
      Transitions.STEP.check(from, to);
    }
    Sql.update(
        c, "engine/step_transition", step, from == null ? null : from.wire(), to.wire(), metadata);
  }
}
