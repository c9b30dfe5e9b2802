package io.tasker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import io.tasker.TaskerException;
import io.tasker.db.DatabaseUrl;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A peer engine's harness under {@code benchmarks/peers/}, run as a subprocess: installed on first
 * use (its build or package-manager command), then given the workload as arguments and its database
 * as {@code DATABASE_URL}; it prints one JSON line of numbers on stdout. Its stderr (progress) goes
 * to {@code log}, line by line.
 */
public final class PeerHarness implements ComparedEngine {
  private static final long INSTALL_TIMEOUT_MINUTES = 15;
  private static final long RUN_TIMEOUT_MINUTES = 30;

  private final String name;
  private final String label;
  private final Path dir;
  private final Path installedMarker;
  private final List<Path> installInputs;
  private final List<String> installCommand;
  private final List<String> runCommand;
  private final Consumer<String> log;

  private PeerHarness(
      String name,
      String label,
      Path dir,
      Path installedMarker,
      List<Path> installInputs,
      List<String> installCommand,
      List<String> runCommand,
      Consumer<String> log) {
    this.name = name;
    this.label = label;
    this.dir = dir;
    this.installedMarker = installedMarker;
    this.installInputs = List.copyOf(installInputs);
    this.installCommand = List.copyOf(installCommand);
    this.runCommand = List.copyOf(runCommand);
    this.log = log;
  }

  /**
   * DBOS Transact Java: {@code benchmarks/peers/dbos}, built with the repository's Maven wrapper
   * into {@code target/dbos-bench.jar}, run on {@code java} (this JVM's).
   */
  public static PeerHarness dbos(Path peersDir, Consumer<String> log) {
    Path dir = peersDir.resolve("dbos");
    // benchmarks/peers/dbos is built by the repository's Maven wrapper, two levels up
    Path peers = peersDir.toAbsolutePath().normalize();
    Path root = peers.getParent() == null ? peers : peers.getParent().getParent();
    Path mvnw = (root == null ? peers : root).resolve("mvnw");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new PeerHarness(
        "DBOS Transact Java",
        "dbos",
        dir,
        dir.resolve("target/dbos-bench.jar"),
        List.of(dir.resolve("pom.xml"), dir.resolve("src")),
        List.of(mvnw.toString(), "-B", "-q", "-f", dir.resolve("pom.xml").toString(), "package"),
        List.of(java.toString(), "-jar", dir.resolve("target/dbos-bench.jar").toString()),
        log);
  }

  /** graphile-worker: {@code benchmarks/peers/graphile}, installed with {@code npm ci}. */
  public static PeerHarness graphile(Path peersDir, Consumer<String> log) {
    Path dir = peersDir.resolve("graphile");
    return new PeerHarness(
        "graphile-worker",
        "graphile",
        dir,
        dir.resolve("node_modules/.package-lock.json"),
        List.of(dir.resolve("package.json"), dir.resolve("package-lock.json")),
        List.of("npm", "ci", "--no-audit", "--no-fund"),
        List.of("node", dir.resolve("bench.mjs").toString()),
        log);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String label() {
    return label;
  }

  @Override
  public EngineOutcome run(DatabaseUrl database, CompareWorkload workload) {
    try {
      if (!Files.isDirectory(dir)) {
        throw new TaskerException(
            "peer_missing", "no harness at " + dir + " (give the repository's --peers-dir)");
      }
      if (!installed()) {
        log.accept(name + ": installing (" + String.join(" ", installCommand) + ")...");
        Result r = exec(installCommand, Map.of(), INSTALL_TIMEOUT_MINUTES);
        if (r.exit() != 0 || !installed()) {
          throw new TaskerException(
              "peer_install_failed", "installing failed (exit " + r.exit() + "): " + r.errorTail());
        }
      }
      List<String> command = new ArrayList<>(runCommand);
      command.addAll(workload.harnessArguments());
      Result r = exec(command, Map.of("DATABASE_URL", database.libpqUrl()), RUN_TIMEOUT_MINUTES);
      if (r.exit() != 0) {
        throw new TaskerException(
            "peer_failed", "the harness exited with " + r.exit() + ": " + r.errorTail());
      }
      return parse(name, r.lastJsonLine());
    } catch (TaskerException e) {
      return new EngineOutcome.Failed(name, e.getMessage());
    }
  }

  /** The harness's JSON line as an outcome; malformed output is a {@link TaskerException}. */
  static EngineOutcome.Measured parse(String name, String line) {
    JsonNode doc = Json.parse(line, "the harness output");
    JsonNode results = doc.path("results");
    if (!results.isArray() || results.isEmpty()) {
      throw new TaskerException("peer_bad_output", "the harness printed no results: " + line);
    }
    List<EngineOutcome.ShapeResult> rows = new ArrayList<>();
    for (JsonNode r : results) {
      rows.add(
          new EngineOutcome.ShapeResult(
              text(r, "shape"),
              (int) number(r, "steps"),
              (int) number(r, "latency_tasks"),
              number(r, "p50_ms"),
              number(r, "p95_ms"),
              number(r, "p99_ms"),
              (int) number(r, "throughput_tasks"),
              (int) number(r, "in_flight"),
              number(r, "steps_per_s"),
              number(r, "commits_per_step")));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> settings =
        Json.MAPPER.convertValue(doc.path("settings"), java.util.LinkedHashMap.class);
    return new EngineOutcome.Measured(
        name,
        text(doc, "version"),
        text(doc, "runtime"),
        settings == null ? Map.of() : settings,
        rows);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new TaskerException(
          "peer_bad_output", "the harness output lacks text field '" + field + "': " + node);
    }
    return v.asText();
  }

  private static double number(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isNumber()) {
      throw new TaskerException(
          "peer_bad_output", "the harness output lacks number field '" + field + "': " + node);
    }
    return v.asDouble();
  }

  /** True when the install marker is newer than every install input. */
  private boolean installed() {
    if (!Files.exists(installedMarker)) {
      return false;
    }
    try {
      FileTime built = Files.getLastModifiedTime(installedMarker);
      for (Path input : installInputs) {
        try (Stream<Path> files = Files.walk(input)) {
          if (files.anyMatch(f -> newer(f, built))) {
            return false;
          }
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean newer(Path file, FileTime than) {
    try {
      return Files.isRegularFile(file) && Files.getLastModifiedTime(file).compareTo(than) > 0;
    } catch (IOException e) {
      return true; // unreadable: treat as changed, so the harness is installed again
    }
  }

  /** Exit code, stdout lines, and the last stderr lines of a finished subprocess. */
  private record Result(int exit, List<String> out, Deque<String> errTail) {
    String errorTail() {
      return errTail.isEmpty() ? "(no output on stderr)" : String.join(" | ", errTail);
    }

    String lastJsonLine() {
      for (int i = out.size() - 1; i >= 0; i--) {
        if (out.get(i).startsWith("{")) {
          return out.get(i);
        }
      }
      throw new TaskerException(
          "peer_bad_output", "the harness printed no JSON line; stderr: " + errorTail());
    }
  }

  private Result exec(List<String> command, Map<String, String> env, long timeoutMinutes) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().putAll(env);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new TaskerException(
          "peer_tool_missing",
          "cannot run '"
              + command.getFirst()
              + "' ("
              + e.getMessage()
              + "); see benchmarks/peers/README.md for what each harness needs");
    }
    List<String> out = java.util.Collections.synchronizedList(new ArrayList<>());
    Deque<String> errTail = new ArrayDeque<>();
    Thread outPump = Thread.ofPlatform().daemon().start(() -> collect(p.getInputStream(), out));
    Thread errPump = Thread.ofPlatform().daemon().start(() -> pump(p.getErrorStream(), errTail));
    try {
      p.getOutputStream().close(); // no input: a harness never waits on stdin
      if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new TaskerException(
            "peer_timeout", "'" + command.getFirst() + "' ran past " + timeoutMinutes + " min");
      }
      outPump.join(5000);
      errPump.join(5000);
    } catch (IOException e) {
      throw new TaskerException("peer_failed", "cannot talk to the harness: " + e, e);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new TaskerException("peer_failed", "interrupted while the harness ran", e);
    }
    synchronized (errTail) {
      return new Result(p.exitValue(), List.copyOf(out), new ArrayDeque<>(errTail));
    }
  }

  private static void collect(InputStream in, List<String> lines) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException e) {
      // the process ended; what was read is kept
    }
  }

  /** Forwards the harness's stderr to the log, keeping its last lines for error messages. */
  private void pump(InputStream err, Deque<String> tail) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        log.accept("  " + line);
        synchronized (tail) {
          tail.addLast(line);
          if (tail.size() > 8) {
            tail.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      // the process ended; what was read is kept
    }
  }
}
