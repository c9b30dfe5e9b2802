package io.tasker.api;

import io.javalin.http.Context;
import io.tasker.client.OpArgs;
import io.tasker.client.TaskerClient;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code /v1/templates…}: list, show and register task templates. */
final class TemplateRoutes {
  private final TaskerClient client;
  private final ApiConfig config;

  TemplateRoutes(TaskerClient client, ApiConfig config) {
    this.client = client;
    this.config = config;
  }

  List<Route> routes() {
    return List.of(
        Route.get("/v1/templates", "templates:read", this::list),
        Route.post("/v1/templates", "templates:write", this::register),
        Route.get("/v1/templates/{namespace}/{name}", "templates:read", ctx -> show(ctx, false)),
        Route.get(
            "/v1/templates/{namespace}/{name}/{version}",
            "templates:read",
            ctx -> show(ctx, true)));
  }

  private void list(Context ctx) {
    OpArgs q = HttpIo.query(ctx, Set.of());
    Optional<String> ns = q.optText("namespace");
    q.finish();
    HttpIo.json(ctx, 200, client.listTemplates(ns));
  }

  private void show(Context ctx, boolean versioned) {
    Optional<String> version = versioned ? Optional.of(ctx.pathParam("version")) : Optional.empty();
    HttpIo.json(
        ctx, 200, client.getTemplate(ctx.pathParam("namespace"), ctx.pathParam("name"), version));
  }

  private void register(Context ctx) {
    OpArgs body = HttpIo.body(ctx, config.maxBodyBytes());
    String yaml = body.text("yaml");
    boolean force = body.bool("force", false);
    body.finish();
    var doc = client.registerTemplate(yaml, force);
    HttpIo.json(ctx, doc.path("outcome").asText().equals("created") ? 201 : 200, doc);
  }
}
