package io.tasker.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.tasker.client.LocalTaskerClient;
import io.tasker.client.TaskerClient;
import io.tasker.orchestration.Engine;
import io.tasker.queue.QueueWaker;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API (docs/api.md): Javalin on Jetty 12, every request on a virtual thread. Routes come
 * from the route classes; this class adds what every route shares — authentication and the route's
 * permission, the problem document for every error, request metrics.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  private final ApiConfig config;
  private final LocalTaskerClient client;
  private final ApiMetrics metrics;
  private final Authenticator auth;
  private final List<Route> routes;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private Javalin app;

  private ApiServer(ApiConfig config, Engine engine, QueueWaker waker) {
    this.config = config;
    this.client = new LocalTaskerClient(engine, waker);
    this.metrics = new ApiMetrics(engine.database().dataSource(), client.status());
    this.auth = new Authenticator(config.auth());
    Backpressure backpressure = new Backpressure(client.status(), config);
    List<Route> all = new ArrayList<>();
    all.addAll(new TaskRoutes(client, config, backpressure).routes());
    all.addAll(new TemplateRoutes(client, config).routes());
    all.addAll(new DlqRoutes(client, config).routes());
    all.addAll(new HealthRoutes(client, client.status(), metrics, stopping::get).routes());
    this.routes = List.copyOf(all);
  }

  /** Starts the server on {@code config}'s host and port (0: any free port). */
  public static ApiServer start(ApiConfig config, Engine engine, QueueWaker waker) {
    ApiServer s = new ApiServer(config, engine, waker);
    s.app = s.create().start(config.host(), config.port());
    LOG.info(
        "REST API listening on {} (authentication {})",
        s.url(),
        config.auth().enabled() ? "on" : "off");
    return s;
  }

  private Javalin create() {
    return Javalin.create(
        cfg -> {
          cfg.concurrency.useVirtualThreads = true;
          cfg.http.maxRequestSize = config.maxBodyBytes();
          cfg.http.prefer405over404 = true;
          cfg.startup.showJavalinBanner = false;
          cfg.startup.showOldJavalinVersionWarning = false;
          for (Route r : routes) {
            cfg.routes.addHttpHandler(r.method(), r.path(), ctx -> handle(r, ctx));
          }
          cfg.routes.exception(Exception.class, (e, ctx) -> ProblemMapper.write(ctx, e));
          cfg.routes.error(404, ctx -> unmatched(ctx, 404, "route_not_found"));
          cfg.routes.error(405, ctx -> unmatched(ctx, 405, "method_not_allowed"));
        });
  }

  /** Javalin's own 404/405 (no route matched): a problem document, unless a route wrote one. */
  private static void unmatched(Context ctx, int status, String code) {
    if (ProblemMapper.CONTENT_TYPE.equals(ctx.res().getContentType())
        || "application/json".equals(ctx.res().getContentType())) {
      return;
    }
    String detail =
        status == 404
            ? "no route " + ctx.method() + " " + ctx.path() + " (see /openapi.json)"
            : ctx.method() + " is not allowed on " + ctx.path();
    ctx.status(status)
        .contentType(ProblemMapper.CONTENT_TYPE)
        .result(
            io.tasker.Json.write(
                ProblemMapper.problem(
                    status, status == 404 ? "Not found" : "Method not allowed", code, detail)));
  }

  private void handle(Route r, Context ctx) {
    long start = System.nanoTime();
    try {
      if (r.permission() != null) {
        Principal p = auth.authenticate(ctx.header("X-API-Key"), ctx.header("Authorization"));
        if (!p.may(r.permission())) {
          throw new HttpProblem(
              403,
              "forbidden",
              "missing permission "
                  + r.permission()
                  + " (granted to "
                  + p.name()
                  + ": "
                  + String.join(", ", p.permissions())
                  + ")");
        }
      }
      r.handler().handle(ctx);
    } catch (Exception e) {
      ProblemMapper.write(ctx, e);
    } finally {
      metrics.request(r.method().name(), r.path(), ctx.statusCode(), System.nanoTime() - start);
    }
  }

  /** The routes served, for the OpenAPI check. */
  List<Route> routes() {
    return routes;
  }

  public TaskerClient client() {
    return client;
  }

  public int port() {
    return app.port();
  }

  public URI url() {
    String host = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
    return URI.create("http://" + host + ":" + port());
  }

  /** Stops taking requests (readiness turns 503 first), lets running ones finish, closes. */
  @Override
  public void close() {
    if (stopping.getAndSet(true) || app == null) {
      return;
    }
    app.stop();
    LOG.info("REST API stopped");
  }
}
