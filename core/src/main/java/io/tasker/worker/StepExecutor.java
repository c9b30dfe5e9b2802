package io.tasker.worker;

import io.tasker.orchestration.Engine;
import io.tasker.queue.QueueConsumer;
import io.tasker.queue.QueueMessage;
import io.tasker.sql.Sql;
import io.tasker.sql.Tx;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Step messages, end to end on the worker side: read and claim a batch (one call of {@code
 * tasker.claim_steps}), run each handler (outside any transaction), report each outcome through
 * {@link StepReporter} (one transaction per step); when a report claimed the task's next step for
 * this worker, run that one next on the same thread.
 */
final class StepExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(StepExecutor.class);

  private final Engine engine;
  private final DataSource ds;
  private final ClaimFactory claims;
  private final HandlerRegistry handlers;
  private final WorkerConfig config;
  private final ExecutorService handlerThreads;
  private final Consumer<Set<String>> afterCommit;
  private final StepReporter reporter;
  private volatile boolean stopping;

  StepExecutor(
      Engine engine,
      HandlerRegistry handlers,
      WorkerConfig config,
      ExecutorService handlerThreads,
      Consumer<Set<String>> afterCommit) {
    this.engine = engine;
    this.ds = engine.database().dataSource();
    this.claims = new ClaimFactory(engine.templates(), config);
    this.handlers = handlers;
    this.config = config;
    this.handlerThreads = handlerThreads;
    this.afterCommit = afterCommit;
    this.reporter = new StepReporter(engine, config, claims, afterCommit);
  }

  /**
   * Reads up to {@code max} step messages and claims their steps in one call of {@code
   * tasker.claim_steps} and one (asynchronous) commit; each claimed step becomes a unit of work
   * that runs the handler and reports. Messages past their delivery limit or that cannot be parsed
   * are archived, not retried forever.
   */
  List<Runnable> take(String queue, QueueConsumer.Settings settings, int max) {
    return claimUnits(queue, settings, max).stream()
        .map(u -> (Runnable) () -> runChain(queue, settings, u))
        .toList();
  }

  /** No more chained claims: units finish the step they hold and return (a shutdown began). */
  void stop() {
    stopping = true;
  }

  /**
   * A claimed step; {@code unsureToken} is set when the claim's commit reply was lost: the unit
   * first asks whether the claim is on record.
   */
  private record Unit(Claim claim, String unsureToken) {}

  private List<Unit> claimUnits(String queue, QueueConsumer.Settings settings, int max) {
    String token = UUID.randomUUID().toString();
    List<Claim> claimed = new ArrayList<>();
    try {
      return Tx.run(
          ds,
          afterCommit,
          tx -> {
            claimed.clear();
            claimed.addAll(claim(tx, queue, settings, max, null, token));
            return claimed.stream().map(cl -> new Unit(cl, null)).toList();
          });
    } catch (RuntimeException e) {
      if (Tx.connectionLost(e)) {
        if (!claimed.isEmpty()) {
          // The connection broke after the claims were written: at the commit, the claims may
          // have committed unseen, and then nobody but this worker would run them before the
          // visibility timeout. Each unit first asks the database whether its claim is on record.
          LOG.warn(
              "claiming {} step(s) on {}: connection lost at commit ({}); checking whether the"
                  + " claims committed",
              claimed.size(),
              queue,
              e.getMessage());
          return claimed.stream().map(cl -> new Unit(cl, token)).toList();
        }
        throw e; // the consumer backs off and tries again
      }
      // A rolled-back read is no delivery, so a message whose claim fails would fail the batch
      // forever; claim one by one after a committed read instead, so the others go on and the
      // failing one reaches its delivery limit.
      LOG.warn("claiming a batch on {} failed ({}); claiming one by one", queue, e.toString());
      return claimOneByOne(queue, settings, max);
    }
  }

  private List<Unit> claimOneByOne(String queue, QueueConsumer.Settings settings, int max) {
    List<Unit> units = new ArrayList<>();
    for (QueueMessage m : engine.queue().read(queue, settings.visibilityTimeout(), max)) {
      try {
        String token = UUID.randomUUID().toString();
        Tx.run(ds, afterCommit, tx -> claim(tx, queue, settings, 1, m.id(), token))
            .forEach(cl -> units.add(new Unit(cl, null)));
      } catch (RuntimeException e) {
        LOG.warn(
            "claiming message {} on {} failed (delivery {}); it comes back after the visibility"
                + " timeout: {}",
            m.id(),
            queue,
            m.readCount(),
            e.toString());
      }
    }
    return units;
  }

  /**
   * Runs {@code first}, then, while its report claimed the next step of the task for this worker
   * (see {@code tasker.report_success}), that step on this thread, keeping this unit's slot: a
   * chain of steps costs one database call per step, with no read, claim or wake-up in between.
   */
  private void runChain(String queue, QueueConsumer.Settings settings, Unit first) {
    Unit u = first;
    while (u != null) {
      Optional<Claim> next =
          u.unsureToken() == null
              ? runOne(queue, settings, u.claim(), !stopping)
              : runIfClaimed(queue, settings, u.claim(), u.unsureToken());
      u = next.map(cl -> new Unit(cl, null)).orElse(null);
    }
  }

  /**
   * Claims up to {@code max} messages of {@code queue}, or only the message {@code msgId} already
   * read, and returns the claimed steps; fails for good, in {@code tx}, redelivered steps with no
   * attempts left.
   */
  private List<Claim> claim(
      Tx tx, String queue, QueueConsumer.Settings settings, int max, Long msgId, String token)
      throws SQLException {
    Connection c = tx.connection();
    List<ClaimRow> rows =
        Sql.query(
            c,
            "worker/claim_steps",
            ClaimRow::of,
            queue,
            settings.visibilityTimeout().toMillis(),
            max,
            msgId == null ? null : c.createArrayOf("bigint", new Long[] {msgId}),
            settings.maxDeliveries(),
            token,
            config.deadlineGrace().toMillis());
    List<Claim> claimed = new ArrayList<>(rows.size());
    for (ClaimRow r : rows) {
      switch (r.outcome()) {
        case CLAIMED -> claimed.add(claims.toClaim(c, r));
        case EXHAUSTED -> failExhausted(tx, queue, r);
        case OVER_LIMIT ->
            LOG.error(
                "message {} on {} failed {} deliveries; archived for inspection: {}",
                r.msgId(),
                queue,
                r.readCount() - 1,
                r.message());
        case NOT_A_STEP ->
            LOG.error(
                "message {} on {} is not a step message; archived: {}",
                r.msgId(),
                queue,
                r.message());
        case GONE, STALE -> {
          // deleted: nothing left to do for it
        }
      }
    }
    return claimed;
  }

  /** A redelivered step whose worker never reported, with no attempts left: it fails for good. */
  private void failExhausted(Tx tx, String queue, ClaimRow r) throws SQLException {
    // what this transaction decides now must not be lost once others saw it
    Sql.update(tx.connection(), "worker/commit_durably");
    var f =
        new StepResult.Failure(
            "no report from the worker within the step deadline (worker lost?) and no attempts left",
            "timeout",
            false,
            Optional.empty());
    reporter.reportFailure(
        tx, queue, r.msgId(), r.taskUuid(), r.stepUuid(), r.correlationId(), r.attempt(), f, null);
  }

  /**
   * Runs {@code cl} if its claim committed (its transition carries {@code token}); asks until the
   * database answers or the step's deadline passes (after it the message is another worker's).
   */
  private Optional<Claim> runIfClaimed(
      String queue, QueueConsumer.Settings settings, Claim cl, String token) {
    long deadline = System.nanoTime() + cl.timeout().toNanos();
    long pauseMs = 100;
    while (System.nanoTime() < deadline) {
      try (Connection c = ds.getConnection()) {
        boolean committed =
            Sql.queryOne(c, "worker/claim_committed", rs -> rs.getBoolean(1), cl.stepUuid(), token)
                .orElse(false);
        if (committed) {
          LOG.info("claim of step {} had committed; running it", cl.stepUuid());
          return runOne(queue, settings, cl, !stopping);
        }
        return Optional.empty(); // not committed: rolled back, the message is visible again
      } catch (SQLException | RuntimeException e) {
        if (!Tx.connectionLost(e)) {
          LOG.warn(
              "cannot tell whether the claim of step {} committed: {}",
              cl.stepUuid(),
              e.toString());
          return Optional.empty(); // the visibility timeout brings the step back
        }
      }
      try {
        Thread.sleep(pauseMs);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
      pauseMs = Math.min(pauseMs * 2, 5000);
    }
    return Optional.empty();
  }

  /**
   * Runs the claimed step's handler and reports its outcome (never throws); returns the next step
   * the report claimed for this thread ({@code mayContinue}), if any.
   */
  private Optional<Claim> runOne(
      String queue, QueueConsumer.Settings settings, Claim cl, boolean mayContinue) {
    MDC.put("task_uuid", cl.taskUuid().toString());
    MDC.put("step_uuid", cl.stepUuid().toString());
    MDC.put("correlation_id", String.valueOf(cl.correlationId()));
    try {
      StepResult result = StepOutcomes.run(handlers, cl, handlerThreads);
      // A shutdown interrupts this thread while the handler runs; report first (an interrupted
      // virtual thread would break the JDBC socket), then let the interrupt take effect.
      boolean interrupted = Thread.interrupted();
      Optional<Claim> next =
          reporter.reportUntilDeadline(queue, settings, cl, result, mayContinue && !interrupted);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return next;
    } catch (RuntimeException e) {
      LOG.warn(
          "reporting step {} failed; its message comes back after the visibility timeout: {}",
          cl.stepUuid(),
          e.toString());
      return Optional.empty();
    } finally {
      MDC.clear();
    }
  }
}
