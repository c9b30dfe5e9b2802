package io.tasker.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.tasker.Json;
import io.tasker.TaskerException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Output helpers shared by the commands. */
final class Format {
  /** Two-space indents, {@code "key": value}, one array element per line (as jq prints). */
  private static final ObjectWriter PRETTY;

  static {
    DefaultPrettyPrinter pp =
        new DefaultPrettyPrinter()
            .withSeparators(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""));
    pp.indentArraysWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE);
    PRETTY = Json.MAPPER.writer(pp);
  }

  private Format() {}

  /** Prints one JSON document (pretty-printed) on {@code out}. */
  static void json(PrintWriter out, JsonNode doc) {
    try {
      out.println(PRETTY.writeValueAsString(doc));
    } catch (JsonProcessingException e) {
      throw new TaskerException("internal_error", "cannot print JSON: " + e.getMessage(), e);
    }
    out.flush();
  }

  /** Compact JSON, cut to {@code max} characters with an ellipsis. */
  static String shortJson(JsonNode node, int max) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "-";
    }
    return shorten(Json.write(node), max);
  }

  static String shorten(String s, int max) {
    if (s == null) {
      return "-";
    }
    String one = s.replace('\n', ' ');
    return one.length() <= max ? one : one.substring(0, Math.max(0, max - 1)) + "…";
  }

  /** The result of a finished step, or its error ({@code error_type: message}). */
  static String resultOrError(JsonNode step, int max) {
    JsonNode err = step.path("error");
    if (err.isObject()) {
      String type = err.path("error_type").asText("");
      String msg = err.path("message").asText("");
      String retry = err.path("retryable").asBoolean(false) ? " (retryable)" : "";
      return shorten("error " + (type.isEmpty() ? "" : type + ": ") + msg + retry, max);
    }
    return shortResult(step.path("result"), max);
  }

  /**
   * A result in a few words: decision and batch outcomes by what they decided (their JSON is long
   * and the point is at its end), anything else as short JSON.
   */
  static String shortResult(JsonNode result, int max) {
    JsonNode decision = result.path("decision_point_outcome");
    if (decision.isObject()) {
      java.util.List<String> names = new java.util.ArrayList<>();
      decision.path("step_names").forEach(n -> names.add(n.asText()));
      return shorten("decided to create " + names, max);
    }
    JsonNode batches = result.path("batch_processing_outcome");
    if (batches.isObject()) {
      if (!"create_batches".equals(batches.path("type").asText())) {
        return "no batches";
      }
      JsonNode configs = batches.path("cursor_configs");
      return shorten(
          "planned "
              + configs.size()
              + " batches of "
              + configs.path(0).path("batch_size").asText()
              + " items ("
              + batches.path("total_items").asText()
              + " in all)",
          max);
    }
    return shortJson(result, max);
  }

  /** An ISO timestamp of a document, to the second ({@code 2026-11-02T10:11:12Z}), or "-". */
  static String time(JsonNode iso) {
    Instant t = instant(iso);
    return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static Instant instant(JsonNode iso) {
    if (iso == null || !iso.isTextual()) {
      return null;
    }
    try {
      return Instant.parse(iso.asText());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** {@code 850 ms}, {@code 2.4 s}, {@code 3 min 5 s}. */
  static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    return (ms / 60_000) + " min " + (ms % 60_000) / 1000 + " s";
  }

  /** Time from {@code from} to {@code to} (timestamps of a document), or null when unknown. */
  static Duration between(JsonNode from, JsonNode to) {
    Instant a = instant(from);
    Instant b = instant(to);
    return a == null || b == null ? null : Duration.between(a, b);
  }
}
