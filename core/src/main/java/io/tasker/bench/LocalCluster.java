package io.tasker.bench;

import io.tasker.TaskerException;
import io.tasker.db.DatabaseUrl;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cluster of separate tasker processes started with {@code scripts/cluster} (Java workers), ready
 * when every orchestrator's {@code /health/ready} answers 200 and every worker has logged that it
 * serves its namespaces. {@link #close} stops it gracefully and then makes sure no member survives;
 * a JVM shutdown hook does the same on Ctrl-C.
 */
final class LocalCluster implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("tasker server listening on (http://\\S+)");
  private static final String WORKER_READY = "worker serving";
  private static final Duration DOWN_GRACE = Duration.ofSeconds(15);

  private final Path root;
  private final Path dir;
  private final DatabaseUrl database;
  private final Thread hook;
  private final List<ScaleReport.Process> members = new ArrayList<>();
  private boolean closed;

  private LocalCluster(Path root, Path dir, DatabaseUrl database) {
    this.root = root;
    this.dir = dir;
    this.database = database;
    this.hook = new Thread(this::stopQuietly, "tasker-bench-cluster-down");
  }

  /**
   * Starts {@code orchestrators} servers and {@code workers} Java workers on {@code database} and
   * waits until each is ready (at most {@code readyLimit}).
   */
  static LocalCluster up(
      Path root,
      Path dir,
      DatabaseUrl database,
      Topology topology,
      Duration readyLimit,
      Consumer<String> log)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    LocalCluster cluster = new LocalCluster(root, dir, database);
    Runtime.getRuntime().addShutdownHook(cluster.hook);
    try {
      cluster.start(topology);
      cluster.awaitReady(readyLimit, log);
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      try {
        cluster.close();
      } catch (RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  /** Which processes, and what they run. */
  record Topology(
      int orchestrators, int workers, Path templates, Path handlers, int workerConcurrency) {}

  List<ScaleReport.Process> members() {
    return List.copyOf(members);
  }

  private void start(Topology t) throws IOException, InterruptedException {
    int exit =
        script(
            "up",
            "--orchestrators",
            Integer.toString(t.orchestrators()),
            "--workers",
            "java:" + t.workers(),
            "--templates",
            t.templates().toString(),
            "--handlers",
            t.handlers().toString(),
            "--concurrency",
            Integer.toString(t.workerConcurrency()),
            "--port",
            "0");
    for (int i = 1; i <= t.orchestrators(); i++) {
      members.add(member("orchestrator-" + i, true));
    }
    for (int i = 1; i <= t.workers(); i++) {
      members.add(member("worker-java-" + i, false));
    }
    if (exit != 0) {
      throw failure("scripts/cluster up failed (exit " + exit + ")", "cluster");
    }
  }

  private ScaleReport.Process member(String name, boolean orchestrator) throws IOException {
    Path pidFile = dir.resolve(name + ".pid");
    if (!Files.exists(pidFile)) {
      throw failure("scripts/cluster did not start " + name, "cluster");
    }
    return new ScaleReport.Process(
        name, Long.parseLong(Files.readString(pidFile).strip()), orchestrator);
  }

  private void awaitReady(Duration limit, Consumer<String> log) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Map<String, Boolean> ready = new HashMap<>();
    long t0 = System.nanoTime();
    long deadline = t0 + limit.toNanos();
    while (ready.size() < members.size()) {
      for (ScaleReport.Process m : members) {
        if (ready.containsKey(m.name())) {
          continue;
        }
        if (!alive(m.pid())) {
          throw failure(m.name() + " exited before it was ready", m.name());
        }
        if (m.orchestrator() ? orchestratorReady(http, m) : log(m).contains(WORKER_READY)) {
          ready.put(m.name(), true);
        }
      }
      if (System.nanoTime() > deadline) {
        throw failure(
            "the cluster was not ready after "
                + limit.toSeconds()
                + " s (ready: "
                + ready.keySet()
                + ")",
            "cluster");
      }
      Thread.sleep(100);
    }
    log.accept(
        String.format(
            java.util.Locale.ROOT,
            "scale: %d processes ready in %.1f s",
            members.size(),
            (System.nanoTime() - t0) / 1e9));
  }

  private boolean orchestratorReady(HttpClient http, ScaleReport.Process m)
      throws InterruptedException {
    Matcher url = LISTENING.matcher(log(m));
    if (!url.find()) {
      return false;
    }
    try {
      HttpRequest get =
          HttpRequest.newBuilder(URI.create(url.group(1) + "/health/ready"))
              .timeout(Duration.ofSeconds(2))
              .build();
      return http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false; // listening was logged a moment before the first request is served
    }
  }

  private String log(ScaleReport.Process m) {
    try {
      return Files.readString(dir.resolve("logs").resolve(m.name() + ".log"));
    } catch (IOException e) {
      return "";
    }
  }

  /** SIGTERM to every member (graceful), SIGKILL after the grace; then none may be alive. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook runs this too
    }
    stopQuietly();
    List<String> survivors = new ArrayList<>();
    for (ScaleReport.Process m : members) {
      if (alive(m.pid())) {
        ProcessHandle.of(m.pid()).ifPresent(ProcessHandle::destroyForcibly);
        survivors.add(m.name() + " (pid " + m.pid() + ")");
      }
    }
    if (!survivors.isEmpty()) {
      throw new TaskerException(
          "bench_failed", "cluster processes survived scripts/cluster down: " + survivors);
    }
  }

  private void stop() throws InterruptedException {
    try {
      script("down", "--grace", Long.toString(DOWN_GRACE.toSeconds()));
    } catch (IOException e) {
      members.forEach(m -> ProcessHandle.of(m.pid()).ifPresent(ProcessHandle::destroyForcibly));
    }
  }

  /** Also when interrupted (Ctrl-C): the processes must go either way. */
  private void stopQuietly() {
    try {
      stop();
    } catch (InterruptedException e) {
      members.forEach(m -> ProcessHandle.of(m.pid()).ifPresent(ProcessHandle::destroyForcibly));
      Thread.currentThread().interrupt();
    }
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private int script(String... args) throws IOException, InterruptedException {
    return new ClusterScript(root, dir, database).run(args);
  }

  private TaskerException failure(String what, String logName) {
    Path file =
        logName.equals("cluster")
            ? dir.resolve("cluster.log")
            : dir.resolve("logs").resolve(logName + ".log");
    String tail =
        Optional.of(file)
            .filter(Files::exists)
            .map(
                f -> {
                  try {
                    List<String> lines = Files.readAllLines(f);
                    return String.join(
                        "\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
                  } catch (IOException e) {
                    return "";
                  }
                })
            .orElse("");
    return new TaskerException("bench_failed", what + "; " + file + ":\n" + tail);
  }
}
