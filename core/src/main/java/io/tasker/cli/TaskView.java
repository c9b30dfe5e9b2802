package io.tasker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;

/** Human views of the task document (DESIGN.md §9). */
final class TaskView {
  static final int RESULT_WIDTH = 64;

  private TaskView() {}

  static String key(JsonNode doc) {
    return doc.path("namespace").asText()
        + "/"
        + doc.path("name").asText()
        + "/"
        + doc.path("version").asText();
  }

  /** The task's fields, then one line per step with state, attempts and result or error. */
  static void print(PrintWriter out, JsonNode doc) {
    Duration took = Format.between(doc.path("created_at"), doc.path("completed_at"));
    out.println("task      " + doc.path("task_uuid").asText());
    out.println("template  " + key(doc));
    out.println(
        "state     "
            + doc.path("state").asText()
            + (took == null ? "" : " (took " + Format.duration(took) + ")"));
    out.println("created   " + Format.time(doc.path("created_at")));
    out.println("context   " + Format.shortJson(doc.path("context"), 100));
    out.println();
    steps(out, doc, false);
  }

  /** The steps table; {@code withUuids} adds each step's uuid. */
  static void steps(PrintWriter out, JsonNode doc, boolean withUuids) {
    JsonNode steps = doc.path("steps");
    if (steps.isEmpty()) {
      out.println("(no steps)");
      return;
    }
    Table table =
        withUuids
            ? new Table("STEP", "STEP UUID", "TYPE", "STATE", "ATTEMPTS", "RESULT / ERROR")
            : new Table("STEP", "STATE", "ATTEMPTS", "RESULT / ERROR");
    for (JsonNode s : steps) {
      String attempts = s.path("attempts").asInt() + "/" + s.path("max_attempts").asInt();
      String result = Format.resultOrError(s, RESULT_WIDTH);
      if (withUuids) {
        table.row(
            s.path("name").asText(),
            s.path("step_uuid").asText(),
            s.path("step_type").asText(),
            s.path("state").asText(),
            attempts,
            result);
      } else {
        table.row(s.path("name").asText(), s.path("state").asText(), attempts, result);
      }
    }
    table.print(out);
  }
}
