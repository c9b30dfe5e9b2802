package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import io.tasker.queue.PgMessageQueue;
import io.tasker.sql.Sql;
import io.tasker.sql.Tx;
import io.tasker.state.StepState;
import io.tasker.template.StepType;
import io.tasker.template.TaskTemplate;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what a worker reported for a step, then re-evaluates the task, all in one transaction
 * with the task row locked. A success completes the step (and lets a decision or batchable step
 * create its children); a failure schedules a retry with backoff or fails the step for good.
 * Processing the same report twice is harmless: the second finds the step already moved on.
 */
final class ResultProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(ResultProcessor.class);

  private final TemplateStore templates;
  private final TaskEvaluator evaluator;

  ResultProcessor(TemplateStore templates, TaskEvaluator evaluator) {
    this.templates = templates;
    this.evaluator = evaluator;
  }

  private record StepRow(
      StepState state,
      int attempts,
      int maxAttempts,
      boolean retryable,
      StepType type,
      String name,
      Long backoffBaseMs,
      Long maxBackoffMs,
      Long backoffRequestMs,
      JsonNode results,
      JsonNode lastError) {}

  private static Long longOrNull(java.sql.ResultSet rs, String column) throws SQLException {
    Object v = rs.getObject(column);
    return v == null ? null : ((Number) v).longValue();
  }

  void process(Tx tx, UUID taskUuid, UUID stepUuid) throws SQLException {
    var c = tx.connection();
    var locked = LockedTask.lock(c, taskUuid);
    if (locked.isEmpty()) {
      LOG.warn("result for unknown task {} dropped", taskUuid);
      return;
    }
    process(tx, locked.get(), stepUuid);
  }

  /** As {@link #process(Tx, UUID, UUID)}, for a caller that already holds the task's lock. */
  void process(Tx tx, LockedTask task, UUID stepUuid) throws SQLException {
    var row = load(tx, task, stepUuid);
    if (row.isEmpty()) {
      LOG.warn("result for unknown step {} of task {} dropped", stepUuid, task.taskUuid());
      return;
    }
    StepRow step = row.get();
    switch (step.state()) {
      case ENQUEUED_FOR_ORCHESTRATION -> succeeded(tx, task, stepUuid, step);
      case ENQUEUED_AS_ERROR_FOR_ORCHESTRATION -> failed(tx, task, stepUuid, step);
      default -> {
        return; // already processed (a duplicate delivery) or moved by an operator
      }
    }
    evaluator.evaluate(tx, task, false);
  }

  /**
   * A success reported in the worker's own transaction: stores the handler's result if the step is
   * still in progress on {@code attempt} (false otherwise: a late report, nothing written), then
   * the step goes from in_progress straight to complete, since nothing waits in between that an
   * enqueued_for_orchestration row would describe.
   */
  boolean processInlineSuccess(Tx tx, LockedTask task, UUID stepUuid, int attempt, JsonNode result)
      throws SQLException {
    var row =
        Sql.queryOne(
            tx.connection(),
            "worker/store_attempt_success",
            ResultProcessor::stepRow,
            result,
            stepUuid,
            attempt);
    if (row.isEmpty()) {
      return false;
    }
    succeeded(tx, task, stepUuid, row.get());
    evaluator.evaluate(tx, task, false);
    return true;
  }

  private static Optional<StepRow> load(Tx tx, LockedTask task, UUID stepUuid) throws SQLException {
    return Sql.queryOne(
        tx.connection(), "engine/load_step", ResultProcessor::stepRow, stepUuid, task.taskUuid());
  }

  private static StepRow stepRow(java.sql.ResultSet rs) throws SQLException {
    return new StepRow(
        StepState.fromWire(rs.getString("current_state")),
        rs.getInt("attempts"),
        rs.getInt("max_attempts"),
        rs.getBoolean("retryable"),
        StepType.fromYaml(rs.getString("step_type")).orElse(StepType.STANDARD),
        rs.getString("template_step_name"),
        longOrNull(rs, "backoff_base_ms"),
        longOrNull(rs, "max_backoff_ms"),
        longOrNull(rs, "backoff_request_ms"),
        Json.parse(rs.getString("results"), "step results"),
        Json.parse(rs.getString("last_error"), "step error"));
  }

  private void succeeded(Tx tx, LockedTask task, UUID stepUuid, StepRow step) throws SQLException {
    var c = tx.connection();
    if (step.type() == StepType.DECISION || step.type() == StepType.BATCHABLE) {
      TaskTemplate template = templates.byUuid(c, task.namedTaskUuid());
      StepGraph graph = new StepGraph(template);
      try {
        if (step.type() == StepType.DECISION) {
          GraphExpander.decision(c, task.taskUuid(), graph, step.name(), step.results());
        } else {
          GraphExpander.batches(c, task.taskUuid(), graph, step.name(), step.results());
        }
      } catch (GraphExpander.InvalidOutcome e) {
        var error =
            Json.object()
                .put("message", e.getMessage())
                .put("error_type", "invalid_outcome")
                .put("retryable", false);
        Sql.update(c, "engine/set_step_error", error, stepUuid);
        StateWriter.step(c, stepUuid, step.state(), StepState.ERROR, error);
        return;
      }
    }
    StateWriter.step(c, stepUuid, step.state(), StepState.COMPLETE, null);
  }

  private void failed(Tx tx, LockedTask task, UUID stepUuid, StepRow step) throws SQLException {
    var c = tx.connection();
    JsonNode error = step.lastError() == null ? Json.object() : step.lastError();
    boolean retryable = step.retryable() && error.path("retryable").asBoolean(true);
    if (retryable && step.attempts() < step.maxAttempts()) {
      Duration delay =
          Backoff.delay(
              step.attempts(),
              step.backoffBaseMs() == null ? Backoff.DEFAULT_BASE_MS : step.backoffBaseMs(),
              step.maxBackoffMs() == null ? Backoff.DEFAULT_MAX_MS : step.maxBackoffMs(),
              step.backoffRequestMs());
      Sql.update(c, "engine/schedule_retry", delay.toMillis(), stepUuid);
      StateWriter.step(
          c,
          stepUuid,
          step.state(),
          StepState.WAITING_FOR_RETRY,
          Json.object().put("retry_in_ms", delay.toMillis()).put("attempts", step.attempts()));
      // the timer: an evaluate request that becomes visible when the backoff is over
      PgMessageQueue.on(c)
          .send(
              Queues.TASK_REQUESTS,
              StepMessage.evaluate(task.taskUuid(), task.correlationId()).toJson(),
              delay);
      tx.sentTo(Queues.TASK_REQUESTS);
    } else {
      StateWriter.step(
          c,
          stepUuid,
          step.state(),
          StepState.ERROR,
          Json.object()
              .put("reason", retryable ? "attempts_exhausted" : "not_retryable")
              .put("attempts", step.attempts()));
    }
  }
}
