package io.tasker.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import io.tasker.orchestration.Engine;
import io.tasker.orchestration.LockedTask;
import io.tasker.orchestration.Queues;
import io.tasker.orchestration.StepMessage;
import io.tasker.queue.PgMessageQueue;
import io.tasker.queue.QueueConsumer;
import io.tasker.queue.QueueWaker;
import io.tasker.sql.Sql;
import io.tasker.sql.Tx;
import io.tasker.state.StepState;
import io.tasker.state.TaskState;
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
  private final ClaimFactory claims;
  private final Consumer<Set<String>> afterCommit;

  StepReporter(
      Engine engine, WorkerConfig config, ClaimFactory claims, Consumer<Set<String>> afterCommit) {
    this.engine = engine;
    this.claims = claims;
    this.ds = engine.database().dataSource();
    this.config = config;
    this.afterCommit = afterCommit;
  }

  /**
   * Reports, retrying while the database is unreachable (a restart, a failover) until the step's
   * deadline: the handler's work is done and should not be redone because the database blinked.
   * After the deadline the message is another worker's, and a report could only be refused. Returns
   * the next step of the task the report claimed for this worker ({@code mayContinue}: the caller
   * has the slot to run it), if any.
   */
  Optional<Claim> reportUntilDeadline(
      String queue,
      QueueConsumer.Settings settings,
      Claim cl,
      StepResult result,
      boolean mayContinue) {
    long deadline = System.nanoTime() + cl.timeout().toNanos();
    long pauseMs = 100;
    String unsure = null; // token of a report whose reply was lost: did it claim a next step?
    while (true) {
      try {
        if (unsure != null) {
          Optional<Claim> claimed = claimedBy(queue, settings, cl, unsure);
          if (claimed.isPresent()) {
            LOG.info("report of step {} had committed; running the step it claimed", cl.stepUuid());
            return claimed;
          }
        }
        String token = mayContinue ? UUID.randomUUID().toString() : null;
        unsure = token;
        HotReport hot = reportOnHotPath(queue, settings, cl, result, token);
        if (hot.deferred()) {
          Tx.run(ds, afterCommit, tx -> report(tx, queue, cl.messageId(), cl, result));
          return Optional.empty();
        }
        return hot.next();
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

  /**
   * What {@code tasker.report_success} did: nothing ({@code deferred}: the general path must run),
   * or recorded the report, and claimed {@code next} for this worker.
   */
  private record HotReport(boolean deferred, Optional<Claim> next) {
    static final HotReport DEFERRED = new HotReport(true, Optional.empty());
  }

  /**
   * A success of a standard step, recorded inline, in one call of {@code tasker.report_success}
   * (its commit included), or {@link HotReport#DEFERRED} without writing anything. With {@code
   * token}, the call also claims the first step that became ready, for this worker.
   */
  private HotReport reportOnHotPath(
      String queue, QueueConsumer.Settings settings, Claim cl, StepResult result, String token) {
    if (!(config.inlineResults() && result instanceof StepResult.Success s)) {
      return HotReport.DEFERRED;
    }
    JsonNode value = s.result() == null ? Json.MAPPER.nullNode() : s.result();
    String next = Queues.worker(cl.context().namespace());
    String claimToken = next.equals(queue) ? token : null;
    return Tx.single(
        ds,
        afterCommit,
        tx ->
            Sql.queryOne(
                    tx.connection(),
                    "worker/report_success",
                    rs -> {
                      if (rs.getString("report_outcome").equals("deferred")) {
                        return HotReport.DEFERRED;
                      }
                      Optional<ClaimRow> row =
                          ClaimRow.ofNullable(rs)
                              .filter(r -> r.outcome() == ClaimRow.Outcome.CLAIMED);
                      Optional<Claim> claimed =
                          row.isPresent()
                              ? Optional.of(claims.toClaim(tx.connection(), row.get()))
                              : Optional.empty();
                      if (rs.getInt("enqueued") > (claimed.isPresent() ? 1 : 0)) {
                        tx.sentTo(next);
                      }
                      String state = rs.getString("task_state");
                      if (state != null && TaskState.fromWire(state).terminal()) {
                        tx.sentTo(QueueWaker.taskKey(cl.taskUuid().toString()));
                      }
                      return new HotReport(false, claimed);
                    },
                    queue,
                    cl.messageId(),
                    cl.taskUuid(),
                    cl.stepUuid(),
                    cl.attempt(),
                    value,
                    next,
                    engine.wakesLocally(next),
                    claimToken,
                    settings.visibilityTimeout().toMillis(),
                    settings.maxDeliveries(),
                    config.deadlineGrace().toMillis())
                .orElse(HotReport.DEFERRED));
  }

  /** The step a report with {@code token} claimed, if that report committed. */
  private Optional<Claim> claimedBy(
      String queue, QueueConsumer.Settings settings, Claim cl, String token) {
    return Tx.single(
        ds,
        afterCommit,
        tx -> {
          for (ClaimRow r :
              Sql.query(
                  tx.connection(),
                  "worker/claims_by_token",
                  ClaimRow::of,
                  queue,
                  cl.taskUuid(),
                  token,
                  settings.maxDeliveries(),
                  config.deadlineGrace().toMillis())) {
            if (r.outcome() == ClaimRow.Outcome.CLAIMED) {
              return Optional.of(claims.toClaim(tx.connection(), r));
            }
          }
          return Optional.empty();
        });
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
