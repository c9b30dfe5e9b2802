package io.tasker.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import io.tasker.orchestration.Engine;
import io.tasker.orchestration.LockedTask;
import io.tasker.orchestration.Queues;
import io.tasker.orchestration.StepMessage;
import io.tasker.orchestration.TemplateStore;
import io.tasker.queue.PgMessageQueue;
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
import java.util.HashMap;
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
 * One step message, end to end on the worker side: claim (one transaction), run the handler
 * (outside any transaction), report (one transaction). A report is accepted only while the step is
 * still on the attempt this worker claimed, so a worker that was presumed dead and comes back late
 * can never complete a step twice.
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
  }

  void handle(String queue, QueueMessage m) {
    StepMessage msg = StepMessage.parse(m.body());
    Optional<Claim> claim = Tx.run(ds, afterCommit, tx -> claim(tx, queue, m, msg));
    if (claim.isEmpty()) {
      return;
    }
    Claim cl = claim.get();
    MDC.put("task_uuid", cl.taskUuid().toString());
    MDC.put("step_uuid", cl.stepUuid().toString());
    MDC.put("correlation_id", String.valueOf(cl.correlationId()));
    try {
      StepResult result = StepOutcomes.run(handlers, cl, handlerThreads);
      // A shutdown interrupts this thread while the handler runs; report first (an interrupted
      // virtual thread would break the JDBC socket), then let the interrupt take effect.
      boolean interrupted = Thread.interrupted();
      Tx.run(ds, afterCommit, tx -> report(tx, queue, m.id(), cl, result));
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    } finally {
      MDC.clear();
    }
  }

  private Optional<Claim> claim(Tx tx, String queue, QueueMessage m, StepMessage msg)
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
      transition(c, msg.stepUuid(), r.state(), StepState.IN_PROGRESS, null);
    } else if (r.state() == StepState.IN_PROGRESS && resume) {
      increment = 0;
      transition(
          c, msg.stepUuid(), r.state(), StepState.IN_PROGRESS, Json.object().put("resumed", true));
    } else if (r.state() == StepState.IN_PROGRESS) {
      // redelivered: the worker that held this attempt did not report within its deadline
      JsonNode note = Json.object().put("redelivered", true).put("read_ct", m.readCount());
      if (r.attempts() >= r.maxAttempts()) {
        var f =
            new StepResult.Failure(
                "no report from the worker within the step deadline (worker lost?) and no attempts left",
                "timeout",
                false,
                Optional.empty());
        reportFailure(
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
      transition(c, msg.stepUuid(), r.state(), StepState.IN_PROGRESS, note);
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
    Sql.query(
            c,
            "worker/dependency_results",
            rs -> Map.entry(rs.getString(1), parentResult(rs.getString(2))),
            msg.stepUuid())
        .forEach(e -> deps.put(e.getKey(), e.getValue()));
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
            msg.taskUuid(),
            msg.stepUuid(),
            r.correlationId(),
            attempt,
            template.version(),
            st.handler().callable(),
            timeout,
            ctx));
  }

  private static JsonNode parentResult(String json) {
    JsonNode r = Json.parse(json, "parent result");
    return r == null ? Json.MAPPER.nullNode() : r;
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
    var current =
        Sql.queryOne(
            c,
            "worker/lock_for_completion",
            rs -> new Current(StepState.fromWire(rs.getString(1)), rs.getInt(2)),
            cl.stepUuid());
    boolean inProgress = current.isPresent() && current.get().state() == StepState.IN_PROGRESS;
    if (!inProgress || current.get().attempts() != cl.attempt()) {
      if (!inProgress) {
        // finished or cancelled meanwhile: nobody else needs this message (while the step is in
        // progress on a newer attempt, that attempt's worker owns it)
        PgMessageQueue.on(c).delete(queue, msgId);
      }
      LOG.warn(
          "late report for step {} attempt {} ignored: the step is {}",
          cl.stepUuid(),
          cl.attempt(),
          current.map(x -> x.state().wire() + " on attempt " + x.attempts()).orElse("gone"));
      return null;
    }
    var q = PgMessageQueue.on(c);
    switch (result) {
      case StepResult.Success s -> {
        Sql.update(
            c,
            "worker/store_success",
            s.result() == null ? Json.MAPPER.nullNode() : s.result(),
            cl.stepUuid());
        transition(
            c, cl.stepUuid(), StepState.IN_PROGRESS, StepState.ENQUEUED_FOR_ORCHESTRATION, null);
        q.delete(queue, msgId);
        sendResult(tx, task, cl.taskUuid(), cl.stepUuid(), cl.correlationId(), cl.attempt());
      }
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

  private void reportFailure(
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

  private static void transition(
      Connection c, UUID step, StepState from, StepState to, JsonNode meta) throws SQLException {
    Sql.update(c, "engine/step_transition", step, from.wire(), to.wire(), meta);
  }

  /** The step as the report finds it, locked. */
  private record Current(StepState state, int attempts) {}

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
      String templateStep) {
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
          rs.getString("template_step"));
    }
  }
}
