package io.tasker.orchestration;

import io.tasker.sql.Sql;
import io.tasker.state.TaskState;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * A task row locked for the rest of the transaction: every decision about a task holds it. Callers
 * outside this package get one from {@link Engine#lockTask} and hand it back.
 */
public record LockedTask(
    UUID taskUuid, TaskState state, UUID namedTaskUuid, UUID correlationId, String namespace) {

  static Optional<LockedTask> lock(Connection c, UUID task) throws SQLException {
    return Sql.queryOne(
        c,
        "engine/lock_task",
        rs ->
            new LockedTask(
                task,
                TaskState.fromWire(rs.getString("current_state")),
                rs.getObject("named_task_uuid", UUID.class),
                rs.getObject("correlation_id", UUID.class),
                rs.getString("namespace")),
        task);
  }

  LockedTask withState(TaskState s) {
    return new LockedTask(taskUuid, s, namedTaskUuid, correlationId, namespace);
  }
}
