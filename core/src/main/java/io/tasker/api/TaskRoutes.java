package io.tasker.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.tasker.client.ClientException;
import io.tasker.client.OpArgs;
import io.tasker.client.Requests;
import io.tasker.client.StepUpdate;
import io.tasker.client.TaskFilter;
import io.tasker.client.TaskerClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** {@code /v1/tasks…}: tasks and their workflow steps. */
final class TaskRoutes {
  static final String TASK = "/v1/tasks/{task_uuid}";
  static final String STEP = TASK + "/workflow_steps/{step_uuid}";

  /** The longest {@code GET …/wait} a request may hold a connection for. */
  static final long MAX_WAIT_MS = 300_000;

  private final TaskerClient client;
  private final ApiConfig config;
  private final Backpressure backpressure;

  TaskRoutes(TaskerClient client, ApiConfig config, Backpressure backpressure) {
    this.client = client;
    this.config = config;
    this.backpressure = backpressure;
  }

  List<Route> routes() {
    return List.of(
        Route.post("/v1/tasks", "tasks:create", this::create),
        Route.get("/v1/tasks", "tasks:read", this::list),
        Route.get(TASK, "tasks:read", ctx -> HttpIo.json(ctx, 200, client.getTask(task(ctx)))),
        Route.delete(TASK, "tasks:cancel", this::cancel),
        Route.get(TASK + "/wait", "tasks:read", this::await),
        Route.get(
            TASK + "/workflow_steps",
            "steps:read",
            ctx -> HttpIo.json(ctx, 200, client.listSteps(task(ctx)))),
        Route.get(
            STEP, "steps:read", ctx -> HttpIo.json(ctx, 200, client.getStep(task(ctx), step(ctx)))),
        Route.patch(STEP, "steps:resolve", this::updateStep),
        Route.get(
            STEP + "/audit",
            "steps:read",
            ctx -> HttpIo.json(ctx, 200, client.stepAudit(task(ctx), step(ctx)))));
  }

  private static UUID task(Context ctx) {
    return HttpIo.uuid(ctx, "task_uuid");
  }

  private static UUID step(Context ctx) {
    return HttpIo.uuid(ctx, "step_uuid");
  }

  private void create(Context ctx) {
    backpressure.check();
    OpArgs body = HttpIo.body(ctx, config.maxBodyBytes());
    var request = Requests.taskRequest(body);
    body.finish();
    JsonNode doc = client.createTask(request);
    ctx.header("Location", "/v1/tasks/" + doc.path("task_uuid").asText());
    HttpIo.json(ctx, 201, doc);
  }

  private void list(Context ctx) {
    OpArgs q = HttpIo.query(ctx, Set.of("limit", "offset"));
    var filter =
        new TaskFilter(
            q.optText("namespace"),
            q.optText("name"),
            q.optText("state").map(s -> Requests.taskState(s, q.path("state"))),
            q.integer("limit", TaskFilter.DEFAULT_LIMIT),
            q.integer("offset", 0));
    q.finish();
    HttpIo.json(ctx, 200, client.listTasks(filter));
  }

  private void cancel(Context ctx) {
    UUID task = task(ctx);
    OpArgs q = HttpIo.query(ctx, Set.of());
    String reason = q.optText("reason").orElse(null);
    q.finish();
    HttpIo.json(ctx, 200, client.cancelTask(task, reason));
  }

  private void await(Context ctx) {
    UUID task = task(ctx);
    OpArgs q = HttpIo.query(ctx, Set.of("timeout_ms"));
    long ms = q.longValue("timeout_ms", 30_000);
    q.finish();
    if (ms < 0 || ms > MAX_WAIT_MS) {
      throw ClientException.invalid(
          "$.timeout_ms", "timeout_ms must be between 0 and " + MAX_WAIT_MS + " (got " + ms + ")");
    }
    HttpIo.json(ctx, 200, client.waitForTask(task, Duration.ofMillis(ms)));
  }

  private void updateStep(Context ctx) {
    UUID task = task(ctx);
    UUID step = step(ctx);
    OpArgs body = HttpIo.body(ctx, config.maxBodyBytes());
    StepUpdate update = Requests.stepUpdate(body);
    body.finish();
    HttpIo.json(ctx, 200, client.updateStep(task, step, update));
  }
}
