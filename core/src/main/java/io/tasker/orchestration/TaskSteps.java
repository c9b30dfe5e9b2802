package io.tasker.orchestration;

import io.tasker.sql.Sql;
import io.tasker.state.StepState;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/** A task's steps as decisions about the task need them: id, name, state. */
record TaskSteps(UUID uuid, String name, StepState state) {
  static List<TaskSteps> of(Connection c, UUID task) throws SQLException {
    return Sql.query(
        c,
        "engine/task_steps",
        rs ->
            new TaskSteps(
                rs.getObject(1, UUID.class), rs.getString(2), StepState.fromWire(rs.getString(3))),
        task);
  }
}
