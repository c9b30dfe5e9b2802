package io.tasker.ffi;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import io.tasker.worker.StepResult;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The canonical completion and checkpoint documents (docs/abi.md#completion), validated strictly:
 * unknown keys, missing keys, wrong types and contradictions are {@link Status#INVALID} with the
 * JSON path, and nothing is applied.
 */
final class Completions {
  /** One validated completion: the event it completes and the result for the worker. */
  record Completion(String eventId, StepResult result) {}

  private static final Set<String> COMPLETION_KEYS = Set.of("event_id", "result");
  private static final Set<String> RESULT_KEYS =
      Set.of("success", "status", "result", "error", "metadata", "backoff_hint");
  private static final Set<String> ERROR_KEYS =
      Set.of("message", "error_type", "retryable", "backtrace", "status_code", "context");
  private static final Set<String> BACKOFF_KEYS = Set.of("delay_seconds", "reason");
  private static final Set<String> CHECKPOINT_KEYS =
      Set.of("event_id", "cursor", "items_processed", "accumulated_results");

  private Completions() {}

  /** One completion object, or an array of them (every element validated before any is used). */
  static List<Completion> parse(JsonNode doc) {
    if (doc.isObject()) {
      return List.of(one(doc, "$"));
    }
    if (!doc.isArray()) {
      throw AbiException.invalid(
          "$", "expected a completion object or an array of them, got " + Documents.kind(doc));
    }
    List<Completion> all = new ArrayList<>(doc.size());
    for (int i = 0; i < doc.size(); i++) {
      JsonNode e = doc.get(i);
      String path = "$[" + i + "]";
      if (!e.isObject()) {
        throw AbiException.invalid(path, "expected a completion object, got " + Documents.kind(e));
      }
      all.add(one(e, path));
    }
    return all;
  }

  static Completion one(JsonNode c, String path) {
    Documents.onlyKeys(c, path, COMPLETION_KEYS);
    String eventId = eventId(c, path);
    JsonNode r = Documents.required(c, path, "result");
    String rp = path + ".result";
    if (!r.isObject()) {
      throw AbiException.invalid(rp, "expected an object, got " + Documents.kind(r));
    }
    return new Completion(eventId, result(r, rp));
  }

  private static String eventId(JsonNode c, String path) {
    String id = Documents.requiredText(c, path, "event_id");
    if (id.isBlank()) {
      throw AbiException.invalid(path + ".event_id", "must not be empty");
    }
    return id;
  }

  private static StepResult result(JsonNode r, String path) {
    Documents.onlyKeys(r, path, RESULT_KEYS);
    boolean success = Documents.requiredBoolean(r, path, "success");
    String status = Documents.requiredText(r, path, "status");
    if (!status.equals("completed") && !status.equals("failed")) {
      throw AbiException.invalid(
          path + ".status", "must be \"completed\" or \"failed\", got \"" + status + "\"");
    }
    if (success != status.equals("completed")) {
      throw AbiException.invalid(
          path + ".status",
          "\"" + status + "\" contradicts \"success\": " + success + " (completed ⇔ true)");
    }
    JsonNode metadata = r.get("metadata");
    if (metadata != null && !metadata.isNull()) {
      metadata(metadata, path + ".metadata");
    }
    Optional<Duration> retryAfter = backoff(r.get("backoff_hint"), path + ".backoff_hint");
    JsonNode error = r.get("error");
    if (success) {
      if (error != null && !error.isNull()) {
        throw AbiException.invalid(path + ".error", "must be absent or null when success is true");
      }
      if (retryAfter.isPresent()) {
        throw AbiException.invalid(
            path + ".backoff_hint", "must be absent or null when success is true");
      }
      JsonNode value = r.get("result");
      return StepResult.success(value == null ? Json.MAPPER.nullNode() : value);
    }
    if (error == null || error.isNull()) {
      throw AbiException.invalid(path + ".error", "required when success is false");
    }
    return failure(error, path + ".error", retryAfter);
  }

  private static void metadata(JsonNode m, String path) {
    if (!m.isObject()) {
      throw AbiException.invalid(path, "expected an object, got " + Documents.kind(m));
    }
    JsonNode t = m.get("execution_time_ms");
    if (t != null && !t.isNull() && !t.isNumber()) {
      throw AbiException.invalid(
          path + ".execution_time_ms", "expected a number, got " + Documents.kind(t));
    }
  }

  private static Optional<Duration> backoff(JsonNode b, String path) {
    if (b == null || b.isNull()) {
      return Optional.empty();
    }
    if (!b.isObject()) {
      throw AbiException.invalid(path, "expected an object, got " + Documents.kind(b));
    }
    Documents.onlyKeys(b, path, BACKOFF_KEYS);
    JsonNode d = Documents.required(b, path, "delay_seconds");
    if (!d.isNumber() || d.decimalValue().signum() < 0) {
      throw AbiException.invalid(
          path + ".delay_seconds", "expected a number ≥ 0, got " + Documents.kind(d));
    }
    if (d.decimalValue().compareTo(BigDecimal.valueOf(86_400L * 365)) > 0) {
      throw AbiException.invalid(path + ".delay_seconds", "must be at most one year");
    }
    Documents.optionalText(b, path, "reason");
    long ms = d.decimalValue().movePointRight(3).longValue();
    return Optional.of(Duration.ofMillis(ms));
  }

  private static StepResult failure(JsonNode e, String path, Optional<Duration> retryAfter) {
    if (!e.isObject()) {
      throw AbiException.invalid(path, "expected an object, got " + Documents.kind(e));
    }
    Documents.onlyKeys(e, path, ERROR_KEYS);
    String message = Documents.requiredText(e, path, "message");
    String type = Documents.requiredText(e, path, "error_type");
    if (type.isBlank()) {
      throw AbiException.invalid(path + ".error_type", "must not be empty");
    }
    boolean retryable = Documents.requiredBoolean(e, path, "retryable");
    JsonNode bt = e.get("backtrace");
    if (bt != null && !bt.isNull()) {
      if (!bt.isArray()) {
        throw AbiException.invalid(
            path + ".backtrace", "expected an array of strings, got " + Documents.kind(bt));
      }
      for (int i = 0; i < bt.size(); i++) {
        if (!bt.get(i).isTextual()) {
          throw AbiException.invalid(
              path + ".backtrace[" + i + "]",
              "expected a string, got " + Documents.kind(bt.get(i)));
        }
      }
    }
    JsonNode code = e.get("status_code");
    if (code != null && !code.isNull() && !code.isIntegralNumber()) {
      throw AbiException.invalid(
          path + ".status_code", "expected an integer, got " + Documents.kind(code));
    }
    JsonNode ctx = e.get("context");
    if (ctx != null && !ctx.isNull() && !ctx.isObject()) {
      throw AbiException.invalid(
          path + ".context", "expected an object, got " + Documents.kind(ctx));
    }
    return new StepResult.Failure(message, type, retryable, retryAfter);
  }

  /** A checkpoint yield ({@code tasker_checkpoint}). */
  static Completion checkpoint(JsonNode c) {
    if (!c.isObject()) {
      throw AbiException.invalid("$", "expected a checkpoint object, got " + Documents.kind(c));
    }
    Documents.onlyKeys(c, "$", CHECKPOINT_KEYS);
    String eventId = eventId(c, "$");
    JsonNode cursor = Documents.required(c, "$", "cursor");
    long items = Documents.optionalLong(c, "$", "items_processed", 0, Long.MAX_VALUE, -1);
    if (items < 0) {
      throw AbiException.invalid("$.items_processed", "required");
    }
    JsonNode acc = c.get("accumulated_results");
    return new Completion(
        eventId,
        new StepResult.CheckpointYield(cursor, items, acc == null ? Json.MAPPER.nullNode() : acc));
  }
}
