package io.tasker.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.Json;
import io.tasker.TaskerException;
import io.tasker.orchestration.TaskRequest;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * The client over the REST API of a {@code tasker server} (java.net.http). Answers are the same
 * documents {@link LocalTaskerClient} returns; problem documents become {@link ClientException}s
 * with the server's code, message and errors.
 */
public final class HttpTaskerClient implements TaskerClient {
  /** The server holds one wait request at most this long; longer waits take several. */
  private static final long MAX_WAIT_MS = 300_000;

  private final URI base;
  private final Optional<String> apiKey;
  private final Optional<String> token;
  private final Duration requestTimeout;
  private final HttpClient http;

  /**
   * @param apiKey sent as {@code X-API-Key}
   * @param token a JWT, sent as {@code Authorization: Bearer}
   */
  public HttpTaskerClient(
      URI base, Optional<String> apiKey, Optional<String> token, Duration requestTimeout) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    if (!"http".equals(this.base.getScheme()) && !"https".equals(this.base.getScheme())) {
      throw ClientException.invalid(
          "$.url", "the server URL must be http(s)://host:port (got " + base + ")");
    }
    this.apiKey = apiKey;
    this.token = token;
    this.requestTimeout = requestTimeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  public URI base() {
    return base;
  }

  @Override
  public JsonNode createTask(TaskRequest r) {
    ObjectNode body = Json.object().put("namespace", r.namespace()).put("name", r.name());
    r.version().ifPresent(v -> body.put("version", v));
    body.set("context", r.context());
    r.idempotencyKey().ifPresent(k -> body.put("idempotency_key", k));
    putIf(body, "initiator", r.initiator());
    putIf(body, "source_system", r.sourceSystem());
    putIf(body, "reason", r.reason());
    if (r.priority() != 0) {
      body.put("priority", r.priority());
    }
    if (r.tags() != null) {
      body.set("tags", r.tags());
    }
    return send("POST", "/v1/tasks", body, requestTimeout);
  }

  private static void putIf(ObjectNode o, String key, String value) {
    if (value != null) {
      o.put(key, value);
    }
  }

  @Override
  public JsonNode getTask(UUID task) {
    return get("/v1/tasks/" + task);
  }

  @Override
  public JsonNode listTasks(TaskFilter f) {
    Map<String, Object> q = new LinkedHashMap<>();
    f.namespace().ifPresent(v -> q.put("namespace", v));
    f.name().ifPresent(v -> q.put("name", v));
    f.state().ifPresent(v -> q.put("state", v.wire()));
    q.put("limit", f.limit());
    q.put("offset", f.offset());
    return get("/v1/tasks" + query(q));
  }

  @Override
  public JsonNode cancelTask(UUID task, String reason) {
    Map<String, Object> q = new LinkedHashMap<>();
    if (reason != null) {
      q.put("reason", reason);
    }
    return send("DELETE", "/v1/tasks/" + task + query(q), null, requestTimeout);
  }

  @Override
  public JsonNode waitForTask(UUID task, Duration timeout) {
    long left = timeout.toMillis();
    while (true) {
      long chunk = Math.min(left, MAX_WAIT_MS);
      try {
        return send(
            "GET",
            "/v1/tasks/" + task + "/wait?timeout_ms=" + chunk,
            null,
            Duration.ofMillis(chunk).plus(requestTimeout));
      } catch (ClientException e) {
        left -= chunk;
        if (e.kind() != ErrorKind.TIMEOUT || left <= 0) {
          throw e;
        }
      }
    }
  }

  @Override
  public JsonNode listSteps(UUID task) {
    return get("/v1/tasks/" + task + "/workflow_steps");
  }

  @Override
  public JsonNode getStep(UUID task, UUID step) {
    return get("/v1/tasks/" + task + "/workflow_steps/" + step);
  }

  @Override
  public JsonNode updateStep(UUID task, UUID step, StepUpdate u) {
    ObjectNode body = Json.object().put("action", u.action().wire());
    if (u.result() != null) {
      body.set("result", u.result());
    }
    putIf(body, "reason", u.reason());
    putIf(body, "operator", u.operator());
    return send("PATCH", "/v1/tasks/" + task + "/workflow_steps/" + step, body, requestTimeout);
  }

  @Override
  public JsonNode stepAudit(UUID task, UUID step) {
    return get("/v1/tasks/" + task + "/workflow_steps/" + step + "/audit");
  }

  @Override
  public JsonNode listTemplates(Optional<String> namespace) {
    Map<String, Object> q = new LinkedHashMap<>();
    namespace.ifPresent(n -> q.put("namespace", n));
    return get("/v1/templates" + query(q));
  }

  @Override
  public JsonNode getTemplate(String namespace, String name, Optional<String> version) {
    return get(
        "/v1/templates/"
            + segment(namespace)
            + "/"
            + segment(name)
            + version.map(v -> "/" + segment(v)).orElse(""));
  }

  @Override
  public JsonNode registerTemplate(String yaml, boolean force) {
    ObjectNode body = Json.object().put("yaml", yaml).put("force", force);
    return send("POST", "/v1/templates", body, requestTimeout);
  }

  @Override
  public JsonNode listDlq(DlqFilter f) {
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("status", f.status().orElse("all"));
    q.put("limit", f.limit());
    q.put("offset", f.offset());
    return get("/v1/dlq" + query(q));
  }

  @Override
  public JsonNode getDlqEntry(UUID entry) {
    return get("/v1/dlq/" + entry);
  }

  @Override
  public JsonNode updateDlqEntry(UUID entry, DlqUpdate u) {
    ObjectNode body =
        Json.object()
            .put("resolution_status", u.resolutionStatus())
            .put("resolution_notes", u.notes());
    putIf(body, "resolved_by", u.resolvedBy());
    return send("PATCH", "/v1/dlq/" + entry, body, requestTimeout);
  }

  @Override
  public JsonNode dlqStats() {
    return get("/v1/dlq/stats");
  }

  @Override
  public JsonNode analytics(Duration window) {
    return get("/v1/analytics?window_seconds=" + Math.max(1, window.toSeconds()));
  }

  @Override
  public JsonNode health() {
    return get("/health/detailed");
  }

  private JsonNode get(String path) {
    return send("GET", path, null, requestTimeout);
  }

  private JsonNode send(String method, String path, JsonNode body, Duration timeout) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(timeout)
            .header("Accept", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(Json.write(body)));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    apiKey.ifPresent(k -> b.header("X-API-Key", k));
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    HttpResponse<String> res;
    try {
      res = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      throw unavailable("no answer from " + base + " within " + timeout.toSeconds() + " s", e);
    } catch (ConnectException e) {
      throw unavailable("cannot reach the tasker server at " + base + " (is it running?)", e);
    } catch (IOException e) {
      throw unavailable("request to " + base + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskerException("interrupted", "interrupted while calling " + base);
    }
    JsonNode doc = parse(res);
    if (res.statusCode() < 400 || (path.equals("/health/detailed") && doc.has("checks"))) {
      return doc;
    }
    throw problem(res.statusCode(), doc);
  }

  private static JsonNode parse(HttpResponse<String> res) {
    try {
      return Json.parse(res.body().isEmpty() ? "{}" : res.body(), "the server's answer");
    } catch (TaskerException e) {
      throw new ClientException(
          ErrorKind.ofHttpStatus(res.statusCode()),
          "bad_response",
          "HTTP " + res.statusCode() + " with a body that is not JSON: " + abbreviate(res.body()),
          List.of());
    }
  }

  private static ClientException problem(int status, JsonNode doc) {
    List<FieldError> errors = new ArrayList<>();
    doc.path("errors")
        .forEach(
            e -> errors.add(new FieldError(e.path("path").asText(), e.path("message").asText())));
    String code = doc.path("code").asText("http_" + status);
    ErrorKind kind = ErrorKind.ofHttpStatus(status);
    String detail = doc.path("detail").asText("HTTP " + status);
    return new ClientException(kind, code, detail, errors);
  }

  private static ClientException unavailable(String message, Exception cause) {
    return new ClientException(
        ErrorKind.UNAVAILABLE, "server_unavailable", message, List.of(), cause);
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }

  private static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String query(Map<String, Object> q) {
    if (q.isEmpty()) {
      return "";
    }
    StringJoiner j = new StringJoiner("&", "?", "");
    q.forEach((k, v) -> j.add(k + "=" + segment(String.valueOf(v))));
    return j.toString();
  }
}
