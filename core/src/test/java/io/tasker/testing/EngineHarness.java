package io.tasker.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.Json;
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
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A real engine on a test database: orchestrator and Java worker in this JVM, templates registered
 * from YAML text. Tasks run end to end through the queues.
 */
public final class EngineHarness implements AutoCloseable {
  private final TestDatabase db;
  private final QueueWaker waker;
  private final Engine engine;
  private final HandlerRegistry handlers = new HandlerRegistry();
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

  public EngineHarness register(String yaml) {
    engine.templates().register(engine.templates().parser().parse(yaml, "test"), false);
    return this;
  }

  public EngineHarness start(List<String> namespaces) {
    return start(WorkerConfig.of(namespaces));
  }

  public EngineHarness start(WorkerConfig config) {
    orchestrator = new Orchestrator(engine, waker, 4).start();
    worker = new Worker(engine, waker, handlers, config).start();
    return this;
  }

  public void stopWorker() {
    worker.close(Duration.ofSeconds(1));
  }

  public UUID create(String namespace, String name, String contextJson) {
    return engine.createTask(TaskRequest.of(namespace, name, Json.parse(contextJson, "context")));
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

  public static TaskState state(JsonNode doc) {
    return TaskState.fromWire(doc.get("state").asText());
  }

  @Override
  public void close() {
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
