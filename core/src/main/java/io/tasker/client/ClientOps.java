package io.tasker.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.Json;
import io.tasker.TaskerException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client ops of docs/abi.md by name: {@code {"op": "task.get", "args": {...}}} onto a {@link
 * TaskerClient}. The C ABI's {@code tasker_client} is {@link #execute} (status code + JSON, never
 * an exception); the op names and their arguments live here only.
 */
public final class ClientOps {
  private static final Logger LOG = LoggerFactory.getLogger(ClientOps.class);

  /** Every op, in the order of docs/abi.md. */
  public static final List<String> OPS =
      List.of(
          "task.create",
          "task.get",
          "task.list",
          "task.cancel",
          "task.wait",
          "step.list",
          "step.get",
          "step.update",
          "step.audit",
          "template.list",
          "template.get",
          "template.register",
          "dlq.list",
          "dlq.get",
          "dlq.update",
          "dlq.stats",
          "analytics",
          "health");

  /** What {@link #execute} returns: 0 and the result, or a negative status and an error. */
  public record Reply(int status, String json) {}

  private final TaskerClient client;

  public ClientOps(TaskerClient client) {
    this.client = client;
  }

  /**
   * Runs one request given as JSON text; never throws. Status 0 with the op's result, or the status
   * of docs/abi.md with {@code {"error": {...}}}.
   */
  public Reply execute(String requestJson) {
    try {
      JsonNode request = Json.parse(requestJson, "the client request");
      return new Reply(0, Json.write(call(request)));
    } catch (RuntimeException e) {
      ErrorKind kind = ErrorKind.of(e);
      if (kind == ErrorKind.INTERNAL) {
        LOG.error("client request failed unexpectedly", e);
      }
      return new Reply(kind.abiStatus(), Json.write(errorDocument(e)));
    }
  }

  /** Runs {@code {"op": …, "args": {…}}}; failures are {@link ClientException}s. */
  public JsonNode call(JsonNode request) {
    if (request == null || !request.isObject()) {
      throw ClientException.invalid(
          "$",
          "a client request is a JSON object {\"op\": …, \"args\": {…}} (got "
              + (request == null ? "nothing" : request.getNodeType())
              + ")");
    }
    OpArgs envelope = new OpArgs(request, "$");
    String op = envelope.text("op");
    JsonNode args = envelope.json("args").orElse(null);
    envelope.finish();
    return call(op, args);
  }

  /** Runs one op with its arguments (null: none). */
  public JsonNode call(String op, JsonNode args) {
    if (!OPS.contains(op)) {
      throw new ClientException(
          ErrorKind.INVALID,
          "unknown_op",
          "unknown op '" + op + "' (ops: " + String.join(", ", OPS) + ")",
          List.of(new FieldError("$.op", "unknown op '" + op + "'")));
    }
    try {
      return run(op, new OpArgs(args, "$.args"));
    } catch (ClientException e) {
      throw e.under("$.args");
    }
  }

  private JsonNode run(String op, OpArgs a) {
    Supplier<JsonNode> action =
        switch (op) {
          case "task.create" -> {
            var request = Requests.taskRequest(a);
            yield () -> client.createTask(request);
          }
          case "task.get" -> {
            UUID id = a.uuid("task_uuid");
            yield () -> client.getTask(id);
          }
          case "task.list" -> {
            var filter =
                new TaskFilter(
                    a.optText("namespace"),
                    a.optText("name"),
                    a.optText("state").map(s -> Requests.taskState(s, a.path("state"))),
                    a.integer("limit", TaskFilter.DEFAULT_LIMIT),
                    a.integer("offset", 0));
            yield () -> client.listTasks(filter);
          }
          case "task.cancel" -> {
            UUID task = a.uuid("task_uuid");
            String reason = a.optText("reason").orElse(null);
            yield () -> client.cancelTask(task, reason);
          }
          case "task.wait" -> {
            UUID task = a.uuid("task_uuid");
            long ms = a.longValue("timeout_ms", -1);
            if (ms < 0) {
              throw ClientException.invalid(
                  a.path("timeout_ms"), "timeout_ms is required and must not be negative");
            }
            yield () -> client.waitForTask(task, Duration.ofMillis(ms));
          }
          case "step.list" -> {
            UUID id = a.uuid("task_uuid");
            yield () -> client.listSteps(id);
          }
          case "step.get" -> {
            UUID task = a.uuid("task_uuid");
            UUID step = a.uuid("step_uuid");
            yield () -> client.getStep(task, step);
          }
          case "step.update" -> {
            UUID task = a.uuid("task_uuid");
            UUID step = a.uuid("step_uuid");
            StepUpdate update = Requests.stepUpdate(a);
            yield () -> client.updateStep(task, step, update);
          }
          case "step.audit" -> {
            UUID task = a.uuid("task_uuid");
            UUID step = a.uuid("step_uuid");
            yield () -> client.stepAudit(task, step);
          }
          case "template.list" -> {
            Optional<String> ns = a.optText("namespace");
            yield () -> client.listTemplates(ns);
          }
          case "template.get" -> {
            String ns = a.text("namespace");
            String name = a.text("name");
            Optional<String> version = a.optText("version");
            yield () -> client.getTemplate(ns, name, version);
          }
          case "template.register" -> {
            String yaml = a.text("yaml");
            boolean force = a.bool("force", false);
            yield () -> client.registerTemplate(yaml, force);
          }
          case "dlq.list" -> {
            var filter =
                new DlqFilter(
                    a.optText("status"),
                    a.integer("limit", TaskFilter.DEFAULT_LIMIT),
                    a.integer("offset", 0));
            yield () -> client.listDlq(filter);
          }
          case "dlq.get" -> {
            UUID id = a.uuid("dlq_entry_uuid");
            yield () -> client.getDlqEntry(id);
          }
          case "dlq.update" -> {
            UUID entry = a.uuid("dlq_entry_uuid");
            DlqUpdate update = Requests.dlqUpdate(a);
            yield () -> client.updateDlqEntry(entry, update);
          }
          case "dlq.stats" -> client::dlqStats;
          case "analytics" -> {
            long seconds = a.longValue("window_seconds", 3600);
            if (seconds <= 0) {
              throw ClientException.invalid(
                  a.path("window_seconds"), "window_seconds must be positive");
            }
            yield () -> client.analytics(Duration.ofSeconds(seconds));
          }
          case "health" -> client::health;
          default ->
              throw new ClientException(
                  ErrorKind.INVALID,
                  "unknown_op",
                  "unknown op '" + op + "' (ops: " + String.join(", ", OPS) + ")",
                  List.of(new FieldError("$.op", "unknown op '" + op + "'")));
        };
    a.finish();
    return action.get();
  }

  /**
   * The C ABI error document: {@code {"error": {"code", "type", "reason", "message", "path"?,
   * "errors"?}}}; {@code reason} is tasker's error code (e.g. {@code task_not_found}).
   */
  public static ObjectNode errorDocument(Throwable e) {
    ErrorKind kind = ErrorKind.of(e);
    ObjectNode err = Json.object();
    err.put("code", kind.abiStatus()).put("type", kind.abiName());
    if (e instanceof TaskerException te) {
      err.put("reason", te.code()).put("message", te.getMessage());
    } else {
      err.put("reason", "internal_error")
          .put("message", "unexpected " + e.getClass().getName() + ": " + e.getMessage());
    }
    if (e instanceof ClientException ce && !ce.errors().isEmpty()) {
      err.put("path", ce.errors().getFirst().path());
      ArrayNode errors = err.putArray("errors");
      ce.errors()
          .forEach(f -> errors.addObject().put("path", f.path()).put("message", f.message()));
    }
    ObjectNode doc = Json.object();
    doc.set("error", err);
    return doc;
  }
}
