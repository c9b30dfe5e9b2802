package io.tasker.orchestration;

import io.tasker.queue.QueueWaker;
import io.tasker.sql.Sql;
import io.tasker.sql.Tx;
import io.tasker.state.TaskState;
import java.sql.SQLException;
import java.util.function.Predicate;

/**
 * Decides what a task does next, with its row locked: enqueue the steps that became ready, keep
 * waiting, or finish. The decision is {@code tasker.advance_task} (sql/migrations/
 * V5__step_functions.sql), one statement: creation and success reports run the same function inside
 * their own single call, so there is one implementation of the rules, next to the data.
 */
final class TaskEvaluator {
  private final Predicate<String> consumedHereIdle;

  /**
   * @param consumedHereIdle whether a consumer of a queue waits for work in this process (it is
   *     woken at commit, so the send need not signal every listening process)
   */
  TaskEvaluator(Predicate<String> consumedHereIdle) {
    this.consumedHereIdle = consumedHereIdle;
  }

  /**
   * Moves the task to its next resting state and returns it. A task in {@code error} is looked at
   * again only when an operator changed one of its steps ({@code reopen}).
   */
  TaskState evaluate(Tx tx, LockedTask task, boolean reopen) throws SQLException {
    TaskState s = task.state();
    if (s.terminal() && !(reopen && s == TaskState.ERROR)) {
      return s;
    }
    String queue = Queues.worker(task.namespace());
    Advanced a =
        Sql.queryOne(
                tx.connection(),
                "engine/advance_task",
                rs -> new Advanced(TaskState.fromWire(rs.getString(1)), rs.getInt(2)),
                task.taskUuid(),
                s.wire(),
                task.correlationId(),
                queue,
                consumedHereIdle.test(queue))
            .orElseThrow();
    if (a.enqueued() > 0) {
      tx.sentTo(queue);
    }
    if (a.state() != s && a.state().terminal()) {
      // local waiters (task create --wait, benchmarks) wake at commit; others get the NOTIFY
      tx.sentTo(QueueWaker.taskKey(task.taskUuid().toString()));
    }
    return a.state();
  }

  private record Advanced(TaskState state, int enqueued) {}
}
