package io.tasker.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import io.tasker.orchestration.Engine;
import io.tasker.orchestration.LockedTask;
import io.tasker.orchestration.Queues;
import io.tasker.orchestration.StepMessage;
import io.tasker.queue.PgMessageQueue;
import io.tasker.sql.Sql;
import io.tasker.sql.Tx;
import io.tasker.state.StepState;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's side of a step's end: records what the handler produced (one transaction), accepted
 * only while the step is still on the attempt this worker claimed, so a worker that was presumed
 * dead and comes back late can never complete a step twice.
 */
final class StepReporter {
  private static final Logger LOG = LoggerFactory.getLogger(StepReporter.class);

  private final Engine engine;
  private final DataSource ds;
  private final WorkerConfig config;
  private final Consumer<Set<String>> afterCommit;

  StepReporter(Engine engine, WorkerConfig config, Consumer<Set<String>> afterCommit) {
    this.engine = engine;
    this.ds = engine.database().dataSource();
    this.config = config;
    this.afterCommit = afterCommit;
  }

  /**
   * Reports, retrying while the database is unreachable (a restart, a failover) until the step's
   * deadline: the handler's work is done and should not be redone because the database blinked.
   * After the deadline the message is another worker's, and a report could only be refused.
   */
  void reportUntilDeadline(String queue, Claim cl, StepResult result) {
    long deadline = System.nanoTime() + cl.timeout().toNanos();
    long pauseMs = 100;
    while (true) {
      try {
        Tx.run(ds, afterCommit, tx -> report(tx, queue, cl.messageId(), cl, result));
        return;
      } catch (RuntimeException e) {
        if (!Tx.connectionLost(e) || System.nanoTime() + pauseMs * 1_000_000 > deadline) {
          throw e;
        }
        LOG.warn(
            "reporting step {} failed, database unreachable ({}); retrying in {} ms",
            cl.stepUuid(),
            e.getMessage(),
            pauseMs);
        try {
          Thread.sleep(pauseMs);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
        pauseMs = Math.min(pauseMs * 2, 5000);
      }
    }
  }

  private Void report(Tx tx, String queue, long msgId, Claim cl, StepResult result)
      throws SQLException {
    Connection c = tx.connection();
    // inline reports lock the task before the step, like every transaction that decides about it
    LockedTask task = null;
    if (config.inlineResults()) {
      task = engine.lockTask(tx, cl.taskUuid()).orElse(null);
      if (task == null) {
        return null; // the task is gone
      }
    }
    var q = PgMessageQueue.on(c);
    if (result instanceof StepResult.Success s) {
      // the hot path: one conditional write of the step row stores the result and tells whether
      // the step is still on this attempt (a late report writes nothing and is handled below)
      if (storeSuccess(tx, task, cl, s)) {
        q.delete(queue, msgId);
        return null;
      }
    }
    var current =
        Sql.queryOne(
            c,
            "worker/lock_for_completion",
            rs -> new Current(StepState.fromWire(rs.getString(1)), rs.getInt(2)),
            cl.stepUuid());
    boolean inProgress = current.isPresent() && current.get().state() == StepState.IN_PROGRESS;
    boolean onThisAttempt = inProgress && current.get().attempts() == cl.attempt();
    if (!onThisAttempt || result instanceof StepResult.Success) {
      if (!inProgress) {
        // finished or cancelled meanwhile: nobody else needs this message (while the step is in
        // progress on a newer attempt, that attempt's worker owns it)
        q.delete(queue, msgId);
      }
      LOG.warn(
          "late report for step {} attempt {} ignored: the step is {}",
          cl.stepUuid(),
          cl.attempt(),
          current.map(x -> x.state().wire() + " on attempt " + x.attempts()).orElse("gone"));
      return null;
    }
    switch (result) {
      case StepResult.Success s -> throw new IllegalStateException("handled above: " + s);
      case StepResult.Failure f ->
          reportFailure(
              tx,
              queue,
              msgId,
              cl.taskUuid(),
              cl.stepUuid(),
              cl.correlationId(),
              cl.attempt(),
              f,
              task);
      case StepResult.CheckpointYield y -> {
        var cp = Json.object().put("items_processed", y.itemsProcessed());
        cp.set("cursor", y.cursor());
        cp.set("accumulated_results", y.accumulatedResults());
        Sql.update(c, "worker/store_checkpoint", cp, cl.stepUuid());
        transition(
            c,
            cl.stepUuid(),
            StepState.IN_PROGRESS,
            StepState.IN_PROGRESS,
            Json.object().set("checkpoint", cp));
        q.delete(queue, msgId);
        q.send(
            queue,
            new StepMessage(
                    cl.taskUuid(), cl.stepUuid(), cl.correlationId(), cl.attempt(), "resume")
                .toJson());
        tx.sentTo(queue);
      }
    }
    return null;
  }

  /**
   * Stores a success if the step is still in progress on the claimed attempt, and completes it
   * (inline, {@code task} locked) or hands it to orchestration; false when the report is late.
   */
  private boolean storeSuccess(Tx tx, LockedTask task, Claim cl, StepResult.Success s)
      throws SQLException {
    JsonNode value = s.result() == null ? Json.MAPPER.nullNode() : s.result();
    if (task != null) {
      return engine.recordStepSuccess(tx, task, cl.stepUuid(), cl.attempt(), value);
    }
    Connection c = tx.connection();
    if (Sql.queryOne(
            c, "worker/store_attempt_success", rs -> true, value, cl.stepUuid(), cl.attempt())
        .isEmpty()) {
      return false;
    }
    transition(c, cl.stepUuid(), StepState.IN_PROGRESS, StepState.ENQUEUED_FOR_ORCHESTRATION, null);
    sendResult(tx, null, cl.taskUuid(), cl.stepUuid(), cl.correlationId(), cl.attempt());
    return true;
  }

  void reportFailure(
      Tx tx,
      String queue,
      long msgId,
      UUID task,
      UUID step,
      UUID correlation,
      int attempt,
      StepResult.Failure f,
      LockedTask lockedTask)
      throws SQLException {
    Connection c = tx.connection();
    Long hint = f.retryAfter().map(Duration::toMillis).orElse(null);
    Sql.update(c, "worker/store_failure", StepOutcomes.errorJson(f), hint, step);
    transition(c, step, StepState.IN_PROGRESS, StepState.ENQUEUED_AS_ERROR_FOR_ORCHESTRATION, null);
    PgMessageQueue.on(c).delete(queue, msgId);
    sendResult(tx, lockedTask, task, step, correlation, attempt);
  }

  /**
   * Hands the report to orchestration: in this transaction, or through the results queue. {@code
   * lockedTask} is the task's lock when the caller took it already (null: taken here).
   */
  private void sendResult(
      Tx tx, LockedTask lockedTask, UUID task, UUID step, UUID correlation, int attempt)
      throws SQLException {
    if (config.inlineResults()) {
      var lock = lockedTask != null ? Optional.of(lockedTask) : engine.lockTask(tx, task);
      if (lock.isPresent()) {
        engine.recordStepReport(tx, lock.get(), step);
      }
      return;
    }
    PgMessageQueue.on(tx.connection())
        .send(
            Queues.STEP_RESULTS,
            new StepMessage(task, step, correlation, attempt, "step").toJson());
    tx.sentTo(Queues.STEP_RESULTS);
  }

  static void transition(Connection c, UUID step, StepState from, StepState to, JsonNode meta)
      throws SQLException {
    Sql.update(c, "engine/step_transition", step, from.wire(), to.wire(), meta);
  }

  /** The step as the report finds it, locked. */
  private record Current(StepState state, int attempts) {}
}
