package io.tasker.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import io.tasker.TaskerException;
import io.tasker.orchestration.Engine;
import io.tasker.orchestration.StepMessage;
import io.tasker.orchestration.TemplateStore;
import io.tasker.queue.PgMessageQueue;
import io.tasker.queue.QueueConsumer;
import io.tasker.queue.QueueMessage;
import io.tasker.sql.Sql;
import io.tasker.sql.Tx;
import io.tasker.state.StepState;
import io.tasker.template.StepTemplate;
import io.tasker.template.TaskTemplate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Step messages, end to end on the worker side: read and claim a batch (one transaction), run each
 * handler (outside any transaction), report each outcome through {@link StepReporter} (one
 * transaction per step).
 */
final class StepExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(StepExecutor.class);

  private final Engine engine;
  private final DataSource ds;
  private final TemplateStore templates;
  private final HandlerRegistry handlers;
  private final WorkerConfig config;
  private final ExecutorService handlerThreads;
  private final Consumer<Set<String>> afterCommit;
  private final StepReporter reporter;

  StepExecutor(
      Engine engine,
      HandlerRegistry handlers,
      WorkerConfig config,
      ExecutorService handlerThreads,
      Consumer<Set<String>> afterCommit) {
    this.engine = engine;
    this.ds = engine.database().dataSource();
    this.templates = engine.templates();
    this.handlers = handlers;
    this.config = config;
    this.handlerThreads = handlerThreads;
    this.afterCommit = afterCommit;
    this.reporter = new StepReporter(engine, config, afterCommit);
  }

  /**
   * Reads up to {@code max} step messages and claims their steps in one transaction (one commit for
   * the batch instead of one per read and one per claim); each claimed step becomes a unit of work
   * that runs the handler and reports. Messages past their delivery limit or that cannot be parsed
   * are archived, not retried forever.
   */
  List<Runnable> take(String queue, QueueConsumer.Settings settings, int max) {
    String token = UUID.randomUUID().toString();
    List<Claim> claimed = new ArrayList<>();
    try {
      return Tx.run(
          ds,
          afterCommit,
          tx -> {
            claimed.clear();
            List<Runnable> work = new ArrayList<>();
            List<QueueMessage> read =
                PgMessageQueue.on(tx.connection()).read(queue, settings.visibilityTimeout(), max);
            if (!read.isEmpty()) {
              Sql.update(tx.connection(), "worker/claim_commit_async");
            }
            for (QueueMessage m : read) {
              claimOne(tx, queue, m, settings.maxDeliveries(), token)
                  .ifPresent(
                      cl -> {
                        claimed.add(cl);
                        work.add(() -> run(queue, cl));
                      });
            }
            return work;
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
          return claimed.stream()
              .map(cl -> (Runnable) () -> runIfClaimed(queue, cl, token))
              .toList();
        }
        throw e; // the consumer backs off and tries again
      }
      // A rolled-back read is no delivery, so a message whose claim fails would fail the batch
      // forever; claim one by one after a committed read instead, so the others go on and the
      // failing one reaches its delivery limit.
      LOG.warn("claiming a batch on {} failed ({}); claiming one by one", queue, e.toString());
      return takeOneByOne(queue, settings, max);
    }
  }

  private List<Runnable> takeOneByOne(String queue, QueueConsumer.Settings settings, int max) {
    List<Runnable> work = new ArrayList<>();
    for (QueueMessage m : engine.queue().read(queue, settings.visibilityTimeout(), max)) {
      try {
        Tx.run(
                ds,
                afterCommit,
                tx ->
                    claimOne(tx, queue, m, settings.maxDeliveries(), UUID.randomUUID().toString()))
            .ifPresent(cl -> work.add(() -> run(queue, cl)));
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
    return work;
  }

  /**
   * Runs {@code cl} if its claim committed (its transition carries {@code token}); asks until the
   * database answers or the step's deadline passes (after it the message is another worker's).
   */
  private void runIfClaimed(String queue, Claim cl, String token) {
    long deadline = System.nanoTime() + cl.timeout().toNanos();
    long pauseMs = 100;
    while (System.nanoTime() < deadline) {
      try (Connection c = ds.getConnection()) {
        boolean committed =
            Sql.queryOne(c, "worker/claim_committed", rs -> rs.getBoolean(1), cl.stepUuid(), token)
                .orElse(false);
        if (committed) {
          LOG.info("claim of step {} had committed; running it", cl.stepUuid());
          run(queue, cl);
        }
        return; // not committed: rolled back, the message is visible again
      } catch (SQLException | RuntimeException e) {
        if (!Tx.connectionLost(e)) {
          LOG.warn(
              "cannot tell whether the claim of step {} committed: {}",
              cl.stepUuid(),
              e.toString());
          return; // the visibility timeout brings the step back
        }
      }
      try {
        Thread.sleep(pauseMs);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return;
      }
      pauseMs = Math.min(pauseMs * 2, 5000);
    }
  }

  private Optional<Claim> claimOne(
      Tx tx, String queue, QueueMessage m, int maxDeliveries, String token) throws SQLException {
    var q = PgMessageQueue.on(tx.connection());
    if (m.readCount() > maxDeliveries) {
      LOG.error(
          "message {} on {} failed {} deliveries; archived for inspection: {}",
          m.id(),
          queue,
          m.readCount() - 1,
          m.body());
      q.archive(queue, m.id());
      return Optional.empty();
    }
    StepMessage msg;
    try {
      msg = StepMessage.parse(m.body());
    } catch (TaskerException e) {
      LOG.error(
          "message {} on {} is not a step message; archived: {}", m.id(), queue, e.getMessage());
      q.archive(queue, m.id());
      return Optional.empty();
    }
    return claim(tx, queue, m, msg, token);
  }

  /** Runs the claimed step's handler and reports its outcome (never throws). */
  private void run(String queue, Claim cl) {
    MDC.put("task_uuid", cl.taskUuid().toString());
    MDC.put("step_uuid", cl.stepUuid().toString());
    MDC.put("correlation_id", String.valueOf(cl.correlationId()));
    try {
      StepResult result = StepOutcomes.run(handlers, cl, handlerThreads);
      // A shutdown interrupts this thread while the handler runs; report first (an interrupted
      // virtual thread would break the JDBC socket), then let the interrupt take effect.
      boolean interrupted = Thread.interrupted();
      reporter.reportUntilDeadline(queue, cl, result);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "reporting step {} failed; its message comes back after the visibility timeout: {}",
          cl.stepUuid(),
          e.toString());
    } finally {
      MDC.clear();
    }
  }

  /** {@code token}: recorded in the claim's transition, so a lost commit reply can be checked. */
  private Optional<Claim> claim(Tx tx, String queue, QueueMessage m, StepMessage msg, String token)
      throws SQLException {
    Connection c = tx.connection();
    var q = PgMessageQueue.on(c);
    var row = Sql.queryOne(c, "worker/claim", ClaimRow::of, msg.stepUuid());
    if (row.isEmpty()) {
      q.delete(queue, m.id());
      return Optional.empty();
    }
    ClaimRow r = row.get();
    boolean resume = msg.kind().equals("resume");
    int increment;
    if (r.state() == StepState.ENQUEUED) {
      increment = 1;
      StepReporter.transition(
          c, msg.stepUuid(), r.state(), StepState.IN_PROGRESS, Json.object().put("claim", token));
    } else if (r.state() == StepState.IN_PROGRESS && resume) {
      increment = 0;
      StepReporter.transition(
          c,
          msg.stepUuid(),
          r.state(),
          StepState.IN_PROGRESS,
          Json.object().put("resumed", true).put("claim", token));
    } else if (r.state() == StepState.IN_PROGRESS) {
      // redelivered: the worker that held this attempt did not report within its deadline
      JsonNode note =
          Json.object().put("redelivered", true).put("read_ct", m.readCount()).put("claim", token);
      if (r.attempts() >= r.maxAttempts()) {
        Sql.update(c, "worker/commit_durably");
        var f =
            new StepResult.Failure(
                "no report from the worker within the step deadline (worker lost?) and no attempts left",
                "timeout",
                false,
                Optional.empty());
        reporter.reportFailure(
            tx,
            queue,
            m.id(),
            msg.taskUuid(),
            msg.stepUuid(),
            r.correlationId(),
            r.attempts(),
            f,
            null);
        return Optional.empty();
      }
      increment = 1;
      StepReporter.transition(c, msg.stepUuid(), r.state(), StepState.IN_PROGRESS, note);
    } else {
      q.delete(queue, m.id()); // stale: already done, cancelled or taken over by an operator
      return Optional.empty();
    }
    if (increment > 0) {
      Sql.update(c, "worker/start_attempt", increment, msg.stepUuid());
    }
    TaskTemplate template = templates.stored(c, r.namedTaskUuid(), r.contentHash());
    StepTemplate st =
        template
            .step(r.templateStep())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "step '" + r.templateStep() + "' missing from template " + template.key()));
    Duration timeout =
        st.timeoutSeconds() != null
            ? Duration.ofSeconds(st.timeoutSeconds())
            : config.defaultStepTimeout();
    if (st.timeoutSeconds() != null) {
      // hide the message until this step's deadline (plus grace) has passed; without a step
      // timeout the read already hid it for the default deadline
      q.setVisibilityTimeout(queue, m.id(), timeout.plus(config.deadlineGrace()));
    }
    Map<String, JsonNode> deps = new HashMap<>();
    if (r.dependencyResults() != null) {
      r.dependencyResults().properties().forEach(e -> deps.put(e.getKey(), e.getValue()));
    }
    int attempt = r.attempts() + increment;
    var ctx =
        new StepContext(
            msg.taskUuid(),
            msg.stepUuid(),
            r.namespace(),
            r.taskName(),
            r.stepName(),
            r.context(),
            st.handler().initialization() == null ? Json.object() : st.handler().initialization(),
            deps,
            r.inputs() == null ? Json.object() : r.inputs(),
            r.checkpoint(),
            attempt,
            r.maxAttempts());
    return Optional.of(
        new Claim(
            m.id(),
            msg.taskUuid(),
            msg.stepUuid(),
            r.correlationId(),
            attempt,
            template.version(),
            st.handler().callable(),
            timeout,
            ctx));
  }

  /** The claim query's row. */
  private record ClaimRow(
      StepState state,
      int attempts,
      int maxAttempts,
      String stepName,
      JsonNode inputs,
      Optional<StepContext.Checkpoint> checkpoint,
      JsonNode context,
      UUID correlationId,
      UUID namedTaskUuid,
      String contentHash,
      String taskName,
      String namespace,
      String templateStep,
      JsonNode dependencyResults) {
    static ClaimRow of(ResultSet rs) throws SQLException {
      JsonNode cp = Json.parse(rs.getString("checkpoint"), "checkpoint");
      return new ClaimRow(
          StepState.fromWire(rs.getString("current_state")),
          rs.getInt("attempts"),
          rs.getInt("max_attempts"),
          rs.getString("template_step_name"),
          Json.parse(rs.getString("inputs"), "step inputs"),
          cp == null
              ? Optional.empty()
              : Optional.of(
                  new StepContext.Checkpoint(
                      cp.path("cursor"),
                      cp.path("items_processed").asLong(),
                      cp.path("accumulated_results"))),
          Json.parse(rs.getString("context"), "task context"),
          rs.getObject("correlation_id", UUID.class),
          rs.getObject("named_task_uuid", UUID.class),
          rs.getString("content_hash"),
          rs.getString("task_name"),
          rs.getString("namespace"),
          rs.getString("template_step"),
          Json.parse(rs.getString("dependency_results"), "parent results"));
    }
  }
}
