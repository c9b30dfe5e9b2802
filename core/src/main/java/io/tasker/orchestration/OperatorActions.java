package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import io.tasker.TaskerException;
import io.tasker.sql.Sql;
import io.tasker.state.StepState;
import io.tasker.state.TaskState;
import io.tasker.state.Transitions;
import java.sql.SQLException;
import java.util.UUID;

/**
 * What operators do to stuck or unwanted work: cancel a task; reset, resolve or complete a step.
 * Each is one transaction with the task locked, recorded as transitions with the operator's note,
 * and followed by an evaluation so dependents run at once.
 */
public final class OperatorActions {
  private final Engine engine;
  private final TaskEvaluator evaluator;

  OperatorActions(Engine engine, TaskEvaluator evaluator) {
    this.engine = engine;
    this.evaluator = evaluator;
  }

  /** Cancels the task and every step that has not finished. */
  public TaskState cancel(UUID task, String reason) {
    return engine.inTx(
        tx -> {
          var c = tx.connection();
          LockedTask t = lock(c, task);
          if (t.state().terminal()) {
            throw new TaskerException(
                "illegal_transition",
                "task " + task + " is already " + t.state().wire() + "; nothing to cancel");
          }
          JsonNode note = Json.object().put("action", "cancel").put("reason", reason);
          for (TaskSteps s : TaskSteps.of(c, task)) {
            if (Transitions.STEP.allows(s.state(), StepState.CANCELLED)
                && s.state() != StepState.ERROR) {
              StateWriter.step(c, s.uuid(), s.state(), StepState.CANCELLED, note);
            }
          }
          StateWriter.task(c, task, t.state(), TaskState.CANCELLED, note);
          tx.sentTo(io.tasker.queue.QueueWaker.taskKey(task.toString()));
          return TaskState.CANCELLED;
        });
  }

  /** Gives a failed step its attempts back and runs it again. */
  public TaskState resetForRetry(UUID task, UUID step, String reason) {
    return onStep(task, step, StepState.PENDING, null, reason, "reset_for_retry");
  }

  /** Marks a step resolved without a result; its dependents run. */
  public TaskState resolveManually(UUID task, UUID step, String reason) {
    return onStep(task, step, StepState.RESOLVED_MANUALLY, null, reason, "resolve_manually");
  }

  /** Completes a step with the given result; its dependents run and receive it. */
  public TaskState completeManually(UUID task, UUID step, JsonNode result, String reason) {
    return onStep(task, step, StepState.COMPLETE, result, reason, "complete_manually");
  }

  private TaskState onStep(
      UUID task, UUID step, StepState to, JsonNode result, String reason, String action) {
    return engine.inTx(
        tx -> {
          var c = tx.connection();
          LockedTask t = lock(c, task);
          if (t.state() == TaskState.CANCELLED
              || t.state() == TaskState.COMPLETE
              || t.state() == TaskState.RESOLVED_MANUALLY) {
            throw new TaskerException(
                "illegal_transition",
                "task " + task + " is " + t.state().wire() + "; its steps can no longer change");
          }
          StepState from =
              TaskSteps.of(c, task).stream()
                  .filter(s -> s.uuid().equals(step))
                  .map(TaskSteps::state)
                  .findFirst()
                  .orElseThrow(
                      () ->
                          new TaskerException(
                              "step_not_found", "task " + task + " has no step " + step));
          if (!Transitions.STEP.allows(from, to)) {
            throw new TaskerException(
                "illegal_transition",
                action
                    + " is not possible for a step in state "
                    + from.wire()
                    + " (allowed from: "
                    + allowedFrom(to)
                    + ")");
          }
          JsonNode note = Json.object().put("action", action).put("reason", reason);
          if (to == StepState.PENDING) {
            Sql.update(c, "engine/reset_step", step);
          }
          if (result != null) {
            Sql.update(c, "worker/store_success", result, step);
          }
          StateWriter.step(c, step, from, to, note);
          return evaluator.evaluate(tx, t, true);
        });
  }

  private static String allowedFrom(StepState to) {
    StringBuilder sb = new StringBuilder();
    for (StepState s : StepState.values()) {
      if (Transitions.STEP.allows(s, to)) {
        sb.append(sb.isEmpty() ? "" : ", ").append(s.wire());
      }
    }
    return sb.toString();
  }

  private static LockedTask lock(java.sql.Connection c, UUID task) throws SQLException {
    return LockedTask.lock(c, task)
        .orElseThrow(() -> new TaskerException("task_not_found", "no task " + task));
  }
}
