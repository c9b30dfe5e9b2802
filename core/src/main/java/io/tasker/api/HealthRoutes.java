package io.tasker.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.tasker.Json;
import io.tasker.client.StatusQueries;
import io.tasker.client.TaskerClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Probes, metrics and the OpenAPI document. */
final class HealthRoutes {
  /** Where the committed OpenAPI document lives on the class path. */
  static final String OPENAPI_RESOURCE = "/io/tasker/api/openapi.json";

  private final TaskerClient client;
  private final StatusQueries status;
  private final ApiMetrics metrics;
  private final BooleanSupplier stopping;
  private final String openApi;

  HealthRoutes(
      TaskerClient client, StatusQueries status, ApiMetrics metrics, BooleanSupplier stopping) {
    this.client = client;
    this.status = status;
    this.metrics = metrics;
    this.stopping = stopping;
    this.openApi = openApiDocument();
  }

  static String openApiDocument() {
    try (InputStream in = HealthRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<Route> routes() {
    return List.of(
        Route.get("/health", null, this::health),
        Route.get("/health/live", null, ctx -> HttpIo.json(ctx, 200, state("alive"))),
        Route.get("/health/ready", null, this::ready),
        Route.get("/health/detailed", "health:read", this::detailed),
        Route.get("/metrics", "metrics:read", this::metrics),
        Route.get(
            "/openapi.json",
            null,
            ctx -> ctx.status(200).contentType("application/json").result(openApi)));
  }

  private static JsonNode state(String s) {
    return Json.object().put("status", s).put("timestamp", Instant.now().toString());
  }

  /** 200 when the database answers, else 503. */
  private void health(Context ctx) {
    try {
      status.pingMillis();
      HttpIo.json(ctx, 200, state("healthy"));
    } catch (RuntimeException e) {
      HttpIo.json(ctx, 503, state("unhealthy"));
    }
  }

  /** Ready for traffic: the database answers and the server is not shutting down. */
  private void ready(Context ctx) {
    if (stopping.getAsBoolean()) {
      HttpIo.json(ctx, 503, state("stopping"));
      return;
    }
    health(ctx);
  }

  private void detailed(Context ctx) {
    JsonNode doc = client.health();
    HttpIo.json(ctx, doc.path("status").asText().equals("healthy") ? 200 : 503, doc);
  }

  private void metrics(Context ctx) {
    ctx.status(200)
        .contentType("text/plain; version=0.0.4; charset=utf-8")
        .result(metrics.scrape());
  }
}
