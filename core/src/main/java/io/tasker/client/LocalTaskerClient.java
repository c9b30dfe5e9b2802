package io.tasker.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.Json;
import io.tasker.TaskerException;
import io.tasker.orchestration.DeadLetters;
import io.tasker.orchestration.Engine;
import io.tasker.orchestration.OperatorActions;
import io.tasker.orchestration.TaskQueries;
import io.tasker.orchestration.TaskRequest;
import io.tasker.orchestration.TemplateStore;
import io.tasker.queue.QueueWaker;
import io.tasker.state.TaskState;
import io.tasker.template.ContextValidationException;
import io.tasker.template.TaskTemplate;
import io.tasker.template.TemplateProblem;
import io.tasker.template.TemplateValidationException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The client directly on the database, through the {@link Engine}: the one place that builds the
 * client documents (the REST handlers and the C ABI bridge call it). Every failure leaves as a
 * {@link ClientException} with the engine's error code.
 */
public final class LocalTaskerClient implements TaskerClient {
  /** How often {@link #waitForTask} looks again when it has no waker to be woken by. */
  private static final Duration POLL = Duration.ofMillis(100);

  private final Engine engine;
  private final QueueWaker waker;
  private final TaskQueries queries;
  private final AnalyticsQueries analytics;
  private final StatusQueries status;
  private final DeadLetters deadLetters;

  /**
   * @param waker wakes {@link #waitForTask} when a task finishes; null: it polls
   */
  public LocalTaskerClient(Engine engine, QueueWaker waker) {
    this.engine = engine;
    this.waker = waker;
    var ds = engine.database().dataSource();
    this.queries = new TaskQueries(ds);
    this.analytics = new AnalyticsQueries(ds);
    this.status = new StatusQueries(ds);
    this.deadLetters = new DeadLetters(engine, DeadLetters.Limits.defaults());
  }

  public StatusQueries status() {
    return status;
  }

  @Override
  public JsonNode createTask(TaskRequest request) {
    return call(
        () -> {
          requireText(request.namespace(), "$.namespace", "namespace");
          requireText(request.name(), "$.name", "name");
          if (request.context() == null || !request.context().isObject()) {
            throw ClientException.invalid(
                "$.context",
                "context must be a JSON object (got "
                    + (request.context() == null ? "nothing" : request.context().getNodeType())
                    + ")");
          }
          UUID task;
          try {
            task = engine.createTask(request);
          } catch (ContextValidationException e) {
            throw invalid(e, "$.context", e.problems());
          }
          return queries.task(task);
        });
  }

  @Override
  public JsonNode getTask(UUID task) {
    return call(() -> queries.task(task));
  }

  @Override
  public JsonNode listTasks(TaskFilter f) {
    return call(
        () -> {
          Optional<String> state = f.state().map(TaskState::wire);
          ObjectNode doc = Json.object();
          ArrayNode tasks = doc.putArray("tasks");
          queries.list(f.namespace(), f.name(), state, f.limit(), f.offset()).forEach(tasks::add);
          long total = analytics.countTasks(f.namespace(), f.name(), state);
          doc.putObject("pagination")
              .put("limit", f.limit())
              .put("offset", f.offset())
              .put("count", tasks.size())
              .put("total_count", total)
              .put("has_more", f.offset() + tasks.size() < total);
          return doc;
        });
  }

  @Override
  public JsonNode cancelTask(UUID task, String reason) {
    return call(
        () -> {
          engine.operator().cancel(task, reason);
          return queries.task(task);
        });
  }

  @Override
  public JsonNode waitForTask(UUID task, Duration timeout) {
    return call(
        () -> {
          if (timeout.isNegative()) {
            throw ClientException.invalid("$.timeout_ms", "timeout must not be negative");
          }
          try {
            if (!awaitFinal(task, timeout)) {
              throw new ClientException(
                  ErrorKind.TIMEOUT,
                  "wait_timeout",
                  "task "
                      + task
                      + " is still "
                      + queries.state(task).wire()
                      + " after "
                      + timeout.toMillis()
                      + " ms",
                  List.of());
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskerException("interrupted", "interrupted while waiting for " + task);
          }
          return queries.task(task);
        });
  }

  private boolean awaitFinal(UUID task, Duration timeout) throws InterruptedException {
    if (waker != null) {
      return queries.awaitFinal(task, waker, timeout).isPresent();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!queries.state(task).terminal()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      Thread.sleep(Duration.ofNanos(Math.min(left, POLL.toNanos())));
    }
    return true;
  }

  @Override
  public JsonNode listSteps(UUID task) {
    return call(() -> queries.task(task).get("steps"));
  }

  @Override
  public JsonNode getStep(UUID task, UUID step) {
    return call(() -> step(queries.task(task), step));
  }

  private static JsonNode step(JsonNode doc, UUID step) {
    for (JsonNode s : doc.path("steps")) {
      if (s.path("step_uuid").asText().equals(step.toString())) {
        return s;
      }
    }
    throw ClientException.notFound(
        "step_not_found", "task " + doc.path("task_uuid").asText() + " has no step " + step);
  }

  @Override
  public JsonNode updateStep(UUID task, UUID step, StepUpdate u) {
    return call(
        () -> {
          OperatorActions ops = engine.operator();
          String reason = u.describeReason();
          switch (u.action()) {
            case RESET_FOR_RETRY -> ops.resetForRetry(task, step, reason);
            case RESOLVE_MANUALLY -> ops.resolveManually(task, step, reason);
            case COMPLETE_MANUALLY -> ops.completeManually(task, step, u.result(), reason);
          }
          return step(queries.task(task), step);
        });
  }

  @Override
  public JsonNode stepAudit(UUID task, UUID step) {
    return call(
        () -> {
          step(queries.task(task), step); // 404 for a step of another task
          return analytics.stepAudit(step);
        });
  }

  @Override
  public JsonNode listTemplates(Optional<String> namespace) {
    return call(
        () -> {
          ArrayNode out = Json.MAPPER.createArrayNode();
          for (TemplateStore.Listed t : engine.templates().list()) {
            if (namespace.isEmpty() || namespace.get().equals(t.namespace())) {
              out.addObject()
                  .put("namespace", t.namespace())
                  .put("name", t.name())
                  .put("version", t.version())
                  .put("description", t.description())
                  .put("steps", t.steps())
                  .put("content_hash", t.hash());
            }
          }
          return out;
        });
  }

  @Override
  public JsonNode getTemplate(String namespace, String name, Optional<String> version) {
    return call(
        () -> {
          TemplateStore.Stored s = engine.templates().find(namespace, name, version);
          TaskTemplate t = s.template();
          ObjectNode doc = summary(t, s.contentHash());
          doc.put("named_task_uuid", s.namedTaskUuid().toString());
          doc.set("template", t.document());
          return doc;
        });
  }

  @Override
  public JsonNode registerTemplate(String yaml, boolean force) {
    return call(
        () -> {
          requireText(yaml, "$.yaml", "yaml");
          TemplateStore store = engine.templates();
          TaskTemplate t;
          try {
            t = store.parser().parse(yaml, "the posted template");
          } catch (TemplateValidationException e) {
            throw invalid(e, "$.yaml", e.problems());
          }
          TemplateStore.Registration r = store.register(t, force);
          ObjectNode doc = summary(t, io.tasker.template.TemplateHash.of(t));
          doc.put("named_task_uuid", r.namedTaskUuid().toString())
              .put("outcome", r.outcome().name().toLowerCase(Locale.ROOT));
          return doc;
        });
  }

  private static ObjectNode summary(TaskTemplate t, String hash) {
    return Json.object()
        .put("namespace", t.namespaceName())
        .put("name", t.name())
        .put("version", t.version())
        .put("description", t.description())
        .put("steps", t.steps().size())
        .put("content_hash", hash);
  }

  @Override
  public JsonNode listDlq(DlqFilter f) {
    return call(
        () -> {
          ObjectNode doc = Json.object();
          ArrayNode entries = doc.putArray("entries");
          deadLetters.list(f.status(), f.limit(), f.offset()).forEach(entries::add);
          doc.putObject("pagination")
              .put("limit", f.limit())
              .put("offset", f.offset())
              .put("count", entries.size());
          return doc;
        });
  }

  @Override
  public JsonNode getDlqEntry(UUID entry) {
    return call(() -> deadLetters.show(entry));
  }

  @Override
  public JsonNode updateDlqEntry(UUID entry, DlqUpdate u) {
    return call(
        () -> {
          DeadLetters.Resolution resolution =
              DeadLetters.Resolution.valueOf(u.resolutionStatus().toUpperCase(Locale.ROOT));
          deadLetters.resolve(entry, resolution, u.notes(), u.resolvedBy());
          return deadLetters.show(entry);
        });
  }

  @Override
  public JsonNode dlqStats() {
    return call(
        () -> {
          ObjectNode doc = Json.object();
          ArrayNode stats = doc.putArray("stats");
          deadLetters.stats().forEach(stats::add);
          return doc;
        });
  }

  @Override
  public JsonNode analytics(Duration window) {
    return call(
        () -> {
          if (window.isNegative() || window.isZero()) {
            throw ClientException.invalid("$.window_seconds", "the window must be positive");
          }
          return analytics.analytics(window);
        });
  }

  @Override
  public JsonNode health() {
    return call(status::health);
  }

  /** Runs an operation; any failure leaves as a {@link ClientException} keeping its code. */
  private static <T> T call(Supplier<T> body) {
    try {
      return body.get();
    } catch (RuntimeException e) {
      throw ClientException.from(e);
    }
  }

  private static void requireText(String value, String path, String name) {
    if (value == null || value.isBlank()) {
      throw ClientException.invalid(path, name + " is required");
    }
  }

  /** Problems of a document found at {@code base} of the request, each with its full path. */
  private static ClientException invalid(
      TaskerException e, String base, List<TemplateProblem> problems) {
    List<FieldError> errors =
        problems.stream().map(p -> new FieldError(rebase(base, p.path()), p.message())).toList();
    return new ClientException(ErrorKind.INVALID, e.code(), e.getMessage(), errors, e);
  }

  /** {@code $.amount} under {@code $.context} is {@code $.context.amount}. */
  static String rebase(String base, String path) {
    if (path == null || path.isEmpty() || path.equals("$")) {
      return base;
    }
    if (path.startsWith("$")) {
      return base + path.substring(1);
    }
    return base + (path.startsWith("[") ? "" : ".") + path;
  }
}
