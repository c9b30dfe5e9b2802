package io.tasker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import io.tasker.TaskerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders the generated parts of docs/reliability.md from what a reliability run recorded: the
 * fault drills' and the fuzz tests' figures ({@code process_faults.jsonl}, {@code
 * malformed_input.jsonl}, written by the tests with {@code -Dtasker.figures.dir}) and the soak's
 * JSON document ({@code soak.json}). Each part replaces the text between {@code <!-- generated:
 * NAME -->} and {@code <!-- end generated -->} in the page; the prose around them is kept.
 */
public final class ReliabilityReport {
  private static final Pattern BLOCK =
      Pattern.compile(
          "(<!-- generated: ([a-z_]+) -->\n)(.*?)(<!-- end generated -->)", Pattern.DOTALL);

  private final List<JsonNode> faults;
  private final List<JsonNode> inputs;
  private final JsonNode soak;
  private final String machine;

  private ReliabilityReport(
      List<JsonNode> faults, List<JsonNode> inputs, JsonNode soak, String machine) {
    this.faults = faults;
    this.inputs = inputs;
    this.soak = soak;
    this.machine = machine;
  }

  /** Reads the figures in {@code dir}; {@code machine}: one line saying where they were taken. */
  public static ReliabilityReport read(Path dir, String machine) {
    Path soakFile = dir.resolve("soak.json");
    if (!Files.isRegularFile(soakFile)) {
      throw new TaskerException(
          "figures_missing", "no soak result at " + soakFile + " (bench soak --json > that file)");
    }
    JsonNode soak = Json.parse(lastLine(soakFile), soakFile.toString());
    return new ReliabilityReport(
        lines(dir.resolve("process_faults.jsonl")),
        lines(dir.resolve("malformed_input.jsonl")),
        soak,
        machine);
  }

  /** Writes the generated parts into {@code page}; returns the names of the parts replaced. */
  public List<String> renderInto(Path page) {
    String text;
    try {
      text = Files.readString(page, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TaskerException("io", "cannot read " + page + ": " + e.getMessage(), e);
    }
    List<String> replaced = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(2);
      replaced.add(name);
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + block(name) + m.group(4)));
    }
    m.appendTail(out);
    if (replaced.isEmpty()) {
      throw new TaskerException(
          "figures_missing", page + " has no <!-- generated: NAME --> blocks to fill");
    }
    try {
      Files.writeString(page, out.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TaskerException("io", "cannot write " + page + ": " + e.getMessage(), e);
    }
    return replaced;
  }

  /** The markdown of one generated part. */
  String block(String name) {
    return switch (name) {
      case "summary" -> summary();
      case "faults" -> faults();
      case "inputs" -> inputs();
      case "soak" -> soakTable();
      default -> throw new TaskerException("figures_missing", "unknown generated block " + name);
    };
  }

  private String summary() {
    long inputsTried = inputs.stream().mapToLong(i -> i.path("tried").asLong()).sum();
    long serverErrors = inputs.stream().mapToLong(i -> i.path("server_errors").asLong()).sum();
    long lost =
        faults.stream().mapToLong(f -> f.path("results_lost").asLong()).sum()
            + soak.path("audit").path("results_lost").asLong();
    long twice =
        faults.stream().mapToLong(f -> f.path("completed_twice").asLong()).sum()
            + soak.path("audit").path("steps_completed_twice").asLong();
    return String.format(
        Locale.ROOT,
        "%s%n%n| load held (soak) | faults survived | malformed inputs tried | results lost |"
            + " steps completed twice | 5xx / internal errors |%n"
            + "|---|---:|---:|---:|---:|---:|%n"
            + "| %,d tasks (%,d steps) in %,d s, %s | %d drills + %d SIGKILLs in the soak | %,d |"
            + " %d | %d | %d |%n",
        machine,
        soak.path("tasks_created").asLong(),
        soak.path("steps").asLong(),
        soak.path("seconds").asLong(),
        soak.path("passed").asBoolean() ? "audit clean" : "**audit FAILED**",
        faults.size(),
        soak.path("processes_killed").asLong(),
        inputsTried,
        lost,
        twice,
        serverErrors);
  }

  private String faults() {
    StringBuilder sb =
        new StringBuilder(
            "| drill | tasks | steps | processes | alive at end | steps run again | completed"
                + " twice | lost | not complete |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (JsonNode f : faults) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %d | %d | %d | %d | %d | %d |%n",
              f.path("test").asText(),
              f.path("tasks").asLong(),
              f.path("steps").asLong(),
              f.path("processes").asLong(),
              f.path("processes_alive_at_end").asLong(),
              f.path("steps_run_more_than_once").asLong(),
              f.path("completed_twice").asLong(),
              f.path("results_lost").asLong(),
              f.path("tasks_not_complete").asLong()));
    }
    return faults.isEmpty() ? "(no fault drill recorded in this run)\n" : sb.toString();
  }

  private String inputs() {
    StringBuilder sb =
        new StringBuilder(
            "| door | inputs tried | accepted (valid) | refused with 4xx / an error code | 5xx or"
                + " internal | stored for a refused input |\n|---|---:|---:|---:|---:|---:|\n");
    for (JsonNode i : inputs) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %d | %d | %d |%n",
              i.path("test").asText(),
              i.path("tried").asLong(),
              i.path("accepted").asLong(),
              i.path("refused").asLong(),
              i.path("server_errors").asLong(),
              i.path("stored_for_refused").asLong()));
    }
    return inputs.isEmpty() ? "(no fuzz test recorded in this run)\n" : sb.toString();
  }

  private String soakTable() {
    JsonNode a = soak.path("audit");
    return String.format(
        Locale.ROOT,
        "| tasks | steps | seconds | tasks/s | processes | SIGKILLs | completed twice | results"
            + " lost | transitions malformed | not complete | audit |%n"
            + "|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|%n"
            + "| %,d | %,d | %d | %.1f | %d orchestrators + %s | %d | %d | %d | %d | %d | %s |%n",
        soak.path("tasks_created").asLong(),
        soak.path("steps").asLong(),
        soak.path("seconds").asLong(),
        soak.path("tasks_per_second").asDouble(),
        soak.path("orchestrators").asInt(),
        soak.path("workers").asText(),
        soak.path("processes_killed").asLong(),
        a.path("steps_completed_twice").asLong(),
        a.path("results_lost").asLong(),
        a.path("step_transitions_malformed").asLong()
            + a.path("task_transitions_malformed").asLong(),
        a.path("tasks_not_final").asLong() + a.path("tasks_not_complete").asLong(),
        soak.path("passed").asBoolean() ? "clean" : "FAILED");
  }

  private static List<JsonNode> lines(Path file) {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try {
      List<JsonNode> out = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          out.add(Json.parse(line, file.toString()));
        }
      }
      return out;
    } catch (IOException e) {
      throw new TaskerException("io", "cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String lastLine(Path file) {
    try {
      List<String> lines =
          Files.readAllLines(file, StandardCharsets.UTF_8).stream()
              .filter(l -> l.startsWith("{"))
              .toList();
      if (lines.isEmpty()) {
        throw new TaskerException("figures_missing", file + " holds no JSON document");
      }
      return lines.getLast();
    } catch (IOException e) {
      throw new TaskerException("io", "cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
