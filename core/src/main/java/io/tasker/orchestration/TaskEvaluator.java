package io.tasker.orchestration;

import io.tasker.queue.PgMessageQueue;
import io.tasker.queue.QueueWaker;
import io.tasker.sql.Sql;
import io.tasker.sql.Tx;
import io.tasker.state.StepState;
import io.tasker.state.TaskState;
import io.tasker.state.Transitions;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Decides what a task does next, with its row locked: enqueue the steps that became ready (one
 * readiness query for the whole task), keep waiting, or finish. Every move is a guarded transition,
 * and the messages for enqueued steps are sent in the same transaction.
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

  private record StepRow(UUID uuid, StepState state, boolean retryDue, boolean parentsDone) {
    boolean ready() {
      return parentsDone && (state == StepState.PENDING || retryDue);
    }

    boolean inFlight() {
      return state == StepState.ENQUEUED
          || state == StepState.IN_PROGRESS
          || state == StepState.ENQUEUED_FOR_ORCHESTRATION
          || state == StepState.ENQUEUED_AS_ERROR_FOR_ORCHESTRATION;
    }
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
    if (s == TaskState.STEPS_IN_PROCESS) {
      // The hot path: a step reported while others run or become ready. The task stays in
      // steps_in_process, so nothing is recorded for it (the enqueued steps' own transitions are
      // the audit); the evaluating_results/enqueuing_steps round trip would be three guarded
      // writes per step that leave the task where it was.
      List<StepRow> steps =
          summary(tx, "engine/touch_and_summarize", task.taskUuid(), task.taskUuid());
      List<StepRow> ready = steps.stream().filter(StepRow::ready).toList();
      if (!ready.isEmpty() || steps.stream().anyMatch(StepRow::inFlight)) {
        if (!ready.isEmpty()) {
          enqueue(tx, task, ready);
        }
        return s;
      }
      return settle(tx, task, move(tx, task, s, TaskState.EVALUATING_RESULTS), steps);
    }
    if (s == TaskState.PENDING) {
      s = move(tx, task, s, TaskState.INITIALIZING);
    } else if (s != TaskState.EVALUATING_RESULTS) {
      if (!Transitions.TASK.allows(s, TaskState.EVALUATING_RESULTS)) {
        return s;
      }
      s = move(tx, task, s, TaskState.EVALUATING_RESULTS);
    }
    List<StepRow> steps = summary(tx, "engine/step_summary", task.taskUuid());
    List<StepRow> ready = steps.stream().filter(StepRow::ready).toList();
    if (!ready.isEmpty()) {
      s = move(tx, task, s, TaskState.ENQUEUING_STEPS);
      enqueue(tx, task, ready);
      return move(tx, task, s, TaskState.STEPS_IN_PROCESS);
    }
    if (steps.stream().anyMatch(StepRow::inFlight)) {
      return move(tx, task, s, TaskState.STEPS_IN_PROCESS);
    }
    return settle(tx, task, s, steps);
  }

  /** Nothing is ready or running: the task waits for a retry, fails, or is done. */
  private static TaskState settle(Tx tx, LockedTask task, TaskState s, List<StepRow> steps)
      throws SQLException {
    if (steps.stream().anyMatch(r -> r.state() == StepState.WAITING_FOR_RETRY)) {
      return move(tx, task, s, TaskState.WAITING_FOR_RETRY);
    }
    if (steps.stream().anyMatch(r -> r.state() == StepState.ERROR)) {
      return move(tx, task, s, TaskState.ERROR);
    }
    boolean allDone =
        steps.stream()
            .allMatch(r -> r.state().satisfiesDependency() || r.state() == StepState.CANCELLED);
    return move(tx, task, s, allDone ? TaskState.COMPLETE : TaskState.WAITING_FOR_DEPENDENCIES);
  }

  /** One row per step of the task: {@code query} is engine/step_summary or a variant of it. */
  private static List<StepRow> summary(Tx tx, String query, Object... args) throws SQLException {
    return Sql.query(
        tx.connection(),
        query,
        rs ->
            new StepRow(
                rs.getObject("workflow_step_uuid", UUID.class),
                StepState.fromWire(rs.getString("current_state")),
                rs.getBoolean("retry_due"),
                rs.getBoolean("parents_done")),
        args);
  }

  private static TaskState move(Tx tx, LockedTask task, TaskState from, TaskState to)
      throws SQLException {
    if (from != to) {
      StateWriter.task(tx.connection(), task.taskUuid(), from, to, null);
      if (to.terminal()) {
        // local waiters (task create --wait, benchmarks) wake at commit; others get the NOTIFY
        tx.sentTo(QueueWaker.taskKey(task.taskUuid().toString()));
      }
    }
    return to;
  }

  private void enqueue(Tx tx, LockedTask task, List<StepRow> ready) throws SQLException {
    List<String> messages = new ArrayList<>(ready.size());
    for (StepRow r : ready) {
      StateWriter.step(tx.connection(), r.uuid(), r.state(), StepState.ENQUEUED, null);
      messages.add(StepMessage.dispatch(task.taskUuid(), r.uuid(), task.correlationId()).toJson());
    }
    String queue = Queues.worker(task.namespace());
    if (consumedHereIdle.test(queue)) {
      // A NOTIFY makes the commit about 0.9 ms slower here and wakes every listening process; an
      // idle consumer in this process is woken at commit instead and takes these messages. Other
      // processes' consumers find any it leaves at their next poll.
      Sql.query(tx.connection(), "queue/notify_locally_only", rs -> null, queue);
    }
    PgMessageQueue.on(tx.connection()).sendBatch(queue, messages, Duration.ZERO);
    tx.sentTo(queue);
  }
}
