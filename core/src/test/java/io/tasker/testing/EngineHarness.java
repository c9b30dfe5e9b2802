package io.tasker.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.Json;
import io.tasker.db.Database;
import io.tasker.db.DatabaseSettings;
import io.tasker.orchestration.Engine;
import io.tasker.orchestration.Orchestrator;
import io.tasker.orchestration.TaskQueries;
import io.tasker.orchestration.TaskRequest;
import io.tasker.queue.QueueWaker;
import io.tasker.state.TaskState;
import io.tasker.worker.HandlerRegistry;
import io.tasker.worker.StepContext;
import io.tasker.worker.StepHandler;
import io.tasker.worker.StepResult;
import io.tasker.worker.Worker;
import io.tasker.worker.WorkerConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real engine on a test database: orchestrator and Java worker in this JVM, templates registered
 * from YAML text. Tasks run end to end through the queues.
 */
public final class EngineHarness implements AutoCloseable {
  /** The transitions of a step that failed retryably once, then completed on its next attempt. */
  public static final List<String> RETRIED_ONCE_THEN_COMPLETE =
      List.of(
          "pending",
          "enqueued",
          "in_progress",
          "enqueued_as_error_for_orchestration",
          "waiting_for_retry",
          "enqueued",
          "in_progress",
          "complete");

  private final TestDatabase db;
  private final QueueWaker waker;
  private final Engine engine;
  private final HandlerRegistry handlers = new HandlerRegistry();
  private final List<Node> nodes = new ArrayList<>();
  private Orchestrator orchestrator;
  private Worker worker;

  public EngineHarness(String label) {
    db = TestDatabases.create(label);
    waker = new QueueWaker(db.database()::openDedicatedConnection);
    engine = new Engine(db.database(), waker);
  }

  public TestDatabase db() {
    return db;
  }

  public Engine engine() {
    return engine;
  }

  public QueueWaker waker() {
    return waker;
  }

  public HandlerRegistry handlers() {
    return handlers;
  }

  /** A handler answering to {@code callable}. */
  public EngineHarness handler(String callable, StepHandler body) {
    handlers.register(
        new StepHandler() {
          @Override
          public StepResult call(StepContext ctx) throws Exception {
            return body.call(ctx);
          }

          @Override
          public String handlerName() {
            return callable;
          }
        });
    return this;
  }

  /**
   * A handler body that counts down {@code started}, then holds its step (at most 30 s) until
   * {@code release} is counted down, and succeeds with an empty result.
   */
  public static StepHandler holdUntil(CountDownLatch started, CountDownLatch release) {
    return ctx -> {
      started.countDown();
      release.await(30, TimeUnit.SECONDS);
      return StepResult.success(Map.of());
    };
  }

  public EngineHarness register(String yaml) {
    engine.templates().register(engine.templates().parser().parse(yaml, "test"), false);
    return this;
  }

  public EngineHarness start(List<String> namespaces) {
    return start(WorkerConfig.of(namespaces));
  }

  public EngineHarness start(WorkerConfig config) {
    return startOrchestrator().startWorker(config);
  }

  /** Starts this harness's orchestrator only (no worker yet). */
  public EngineHarness startOrchestrator() {
    if (orchestrator != null) {
      throw new IllegalStateException("the harness orchestrator runs already");
    }
    orchestrator = new Orchestrator(engine, waker, 4).start();
    return this;
  }

  /** Starts this harness's worker (e.g. after {@link #stopWorker} or a killed {@link Node}). */
  public EngineHarness startWorker(WorkerConfig config) {
    if (worker != null) {
      throw new IllegalStateException("the harness worker runs already");
    }
    worker = new Worker(engine, waker, handlers, config).start();
    return this;
  }

  public void stopWorker() {
    stopWorker(Duration.ofSeconds(1));
  }

  /**
   * Stops the worker: it claims nothing more, and returns once the handlers it is running have
   * finished and reported, or after {@code grace}.
   */
  public void stopWorker(Duration grace) {
    if (worker != null) {
      worker.close(grace);
      worker = null;
    }
  }

  /**
   * Another process on the same database: its own connection pool, listener and engine, and the
   * handlers of this harness. Closed with the harness.
   */
  public Node node() {
    return node(db.database().url().libpqUrl());
  }

  /** A node that reaches the harness's database through {@code url} (e.g. a fault proxy). */
  public Node node(String url) {
    Node n = new Node(url);
    nodes.add(n);
    return n;
  }

  /** One more orchestrator/worker process on the harness's database. */
  public final class Node implements AutoCloseable {
    private final Database database;
    private final QueueWaker nodeWaker;
    private final Engine nodeEngine;
    private final List<Orchestrator> orchestrators = new ArrayList<>();
    private final List<Worker> workers = new ArrayList<>();
    private boolean closed;

    private Node(String url) {
      database =
          Database.open(new DatabaseSettings(Optional.of(url), TestDatabases.testHome(), 8, false));
      nodeWaker = new QueueWaker(database::openDedicatedConnection);
      nodeEngine = new Engine(database, nodeWaker);
    }

    public Engine engine() {
      return nodeEngine;
    }

    public Orchestrator startOrchestrator() {
      Orchestrator o = new Orchestrator(nodeEngine, nodeWaker, 4).start();
      orchestrators.add(o);
      return o;
    }

    public Worker startWorker(WorkerConfig config) {
      Worker w = new Worker(nodeEngine, nodeWaker, handlers, config).start();
      workers.add(w);
      return w;
    }

    /**
     * The process dies: its connections go first, so nothing it is still doing (a handler that
     * returns, a report, a timeout) reaches the database; then its threads are stopped.
     */
    public void kill() {
      if (closed) {
        return;
      }
      closed = true;
      database.close();
      workers.forEach(w -> w.close(Duration.ZERO));
      orchestrators.forEach(Orchestrator::close);
      nodeWaker.close();
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      workers.forEach(w -> w.close(Duration.ofSeconds(2)));
      orchestrators.forEach(Orchestrator::close);
      nodeWaker.close();
      database.close();
    }
  }

  public TaskQueries queries() {
    return new TaskQueries(db.dataSource());
  }

  public UUID create(TaskRequest request) {
    return engine.createTask(request);
  }

  public UUID create(String namespace, String name, String contextJson) {
    return engine.createTask(TaskRequest.of(namespace, name, Json.parse(contextJson, "context")));
  }

  /** Makes the task look untouched for {@code interval} (a SQL interval such as '2 hours'). */
  public void backdateTask(UUID task, String interval) throws SQLException {
    db.execute(
        "update tasker.tasks set updated_at = now() - interval '"
            + interval
            + "' where task_uuid = '"
            + task
            + "'");
  }

  /** Waits (by notification) for the task to finish; fails after a generous bound. */
  public ObjectNode runToEnd(UUID task) throws InterruptedException {
    TaskQueries q = new TaskQueries(db.dataSource());
    var state = q.awaitFinal(task, waker, Duration.ofSeconds(60));
    if (state.isEmpty()) {
      throw new AssertionError("task did not finish within 60 s: " + q.task(task).toPrettyString());
    }
    return q.task(task);
  }

  public static JsonNode step(JsonNode doc, String name) {
    for (JsonNode s : doc.get("steps")) {
      if (s.get("name").asText().equals(name)) {
        return s;
      }
    }
    throw new AssertionError("no step " + name + " in " + doc.toPrettyString());
  }

  public static UUID stepUuid(JsonNode doc, String name) {
    return UUID.fromString(step(doc, name).get("step_uuid").asText());
  }

  /** One row of {@code workflow_step_transitions} or {@code task_transitions}. */
  public record Transition(
      String from, String to, int sortKey, JsonNode metadata, Instant createdAt) {}

  /** The audit trail of a step, by sort_key. */
  public List<Transition> stepTransitions(UUID step) {
    return transitions(
        "select from_state, to_state, sort_key, metadata, created_at"
            + " from tasker.workflow_step_transitions where workflow_step_uuid = ? order by sort_key",
        step);
  }

  /** The audit trail of a task, by sort_key. */
  public List<Transition> taskTransitions(UUID task) {
    return transitions(
        "select from_state, to_state, sort_key, metadata, created_at"
            + " from tasker.task_transitions where task_uuid = ? order by sort_key",
        task);
  }

  private List<Transition> transitions(String sql, UUID id) {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, id);
      List<Transition> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Transition(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getInt(3),
                  Json.parse(rs.getString(4), "transition metadata"),
                  rs.getObject(5, OffsetDateTime.class).toInstant()));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  public static TaskState state(JsonNode doc) {
    return TaskState.fromWire(doc.get("state").asText());
  }

  @Override
  public void close() {
    nodes.forEach(Node::close);
    if (worker != null) {
      worker.close(Duration.ofSeconds(2));
    }
    if (orchestrator != null) {
      orchestrator.close();
    }
    waker.close();
    db.close();
  }
}
