package io.tasker.api;

import io.javalin.http.Context;
import io.tasker.client.ClientException;
import io.tasker.client.DlqFilter;
import io.tasker.client.OpArgs;
import io.tasker.client.Requests;
import io.tasker.client.TaskFilter;
import io.tasker.client.TaskerClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** {@code /v1/dlq…} (investigations of stuck tasks) and {@code /v1/analytics}. */
final class DlqRoutes {
  private final TaskerClient client;
  private final ApiConfig config;

  DlqRoutes(TaskerClient client, ApiConfig config) {
    this.client = client;
    this.config = config;
  }

  List<Route> routes() {
    return List.of(
        Route.get("/v1/dlq", "dlq:read", this::list),
        // before /v1/dlq/{entry}: routes match in the order they are added
        Route.get("/v1/dlq/stats", "dlq:read", ctx -> HttpIo.json(ctx, 200, client.dlqStats())),
        Route.get(
            "/v1/dlq/{dlq_entry_uuid}",
            "dlq:read",
            ctx -> HttpIo.json(ctx, 200, client.getDlqEntry(HttpIo.uuid(ctx, "dlq_entry_uuid")))),
        Route.patch("/v1/dlq/{dlq_entry_uuid}", "dlq:update", this::update),
        Route.get("/v1/analytics", "analytics:read", this::analytics));
  }

  private void list(Context ctx) {
    OpArgs q = HttpIo.query(ctx, Set.of("limit", "offset"));
    String status = q.optText("status").orElse("all");
    var filter =
        new DlqFilter(
            status.equals("all") ? java.util.Optional.empty() : java.util.Optional.of(status),
            q.integer("limit", TaskFilter.DEFAULT_LIMIT),
            q.integer("offset", 0));
    q.finish();
    HttpIo.json(ctx, 200, client.listDlq(filter));
  }

  private void update(Context ctx) {
    var entry = HttpIo.uuid(ctx, "dlq_entry_uuid");
    OpArgs body = HttpIo.body(ctx, config.maxBodyBytes());
    var update = Requests.dlqUpdate(body);
    body.finish();
    HttpIo.json(ctx, 200, client.updateDlqEntry(entry, update));
  }

  private void analytics(Context ctx) {
    OpArgs q = HttpIo.query(ctx, Set.of("window_seconds"));
    long seconds = q.longValue("window_seconds", 3600);
    q.finish();
    if (seconds <= 0) {
      throw ClientException.invalid("$.window_seconds", "window_seconds must be positive");
    }
    HttpIo.json(ctx, 200, client.analytics(Duration.ofSeconds(seconds)));
  }
}
