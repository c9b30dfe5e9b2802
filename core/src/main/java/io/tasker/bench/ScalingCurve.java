package io.tasker.bench;

import io.tasker.TaskerException;
import io.tasker.TaskerHome;
import io.tasker.db.Database;
import io.tasker.db.DatabaseSettings;
import io.tasker.db.DatabaseUrl;
import io.tasker.queue.QueueWaker;
import io.tasker.worker.StepHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code tasker bench scale} (issue 10): the scaling curve of tasker on one database. For every
 * orchestrator count × worker count, a fresh database and a cluster of separate processes ({@code
 * scripts/cluster}, Java workers running the no-op handler of {@link E2eBenchmark}) kept busy with
 * a fixed number of no-op tasks in flight; then one cluster under 10 → 10,000 tasks in flight.
 * Every point waits for readiness and a warm-up, then measures a window from the database:
 * completed steps/s, commits per step, creation → completion latency of the tasks that finished in
 * the window, and where the CPU went. Clusters are torn down after each point, also on failure.
 */
public final class ScalingCurve {
  private static final Duration READY_LIMIT = Duration.ofSeconds(120);
  private static final List<String> CPU_GROUPS =
      List.of("orchestrators", "workers", "postgres", "load_generator");

  /**
   * Connections a tasker server or worker holds at most: its pool (TASKER_DB_POOL_SIZE, at least
   * the 10 that {@code tasker server} and {@code tasker worker} ask for), plus LISTEN and a spare.
   */
  static int connectionsPerProcess() {
    return Math.max(DatabaseSettings.fromEnvironment().poolSize(), 10) + 2;
  }

  private final DatabaseUrl server;
  private final ScaleSettings settings;
  private final Path root;
  private final Path work;
  private final Consumer<String> log;
  private final BenchDatabases databases;

  /**
   * {@code server}: any database of the PostgreSQL server to measure on; {@code root}: the
   * repository (its {@code scripts/cluster}); {@code work}: where templates, handlers and cluster
   * logs go.
   */
  public ScalingCurve(
      DatabaseUrl server, ScaleSettings settings, Path root, Path work, Consumer<String> log) {
    this.server = server;
    this.settings = settings;
    this.root = root;
    this.work = work;
    this.log = log;
    this.databases = new BenchDatabases(server);
  }

  public ScaleReport run() throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    double loadBefore = Comparison.loadAverage();
    String version = databases.serverVersion();
    checkConnectionBudget();
    writeTemplatesAndHandlers();
    List<ScaleReport.Point> points = new ArrayList<>();
    for (int o : settings.orchestrators()) {
      for (int w : settings.workers()) {
        log.accept(
            String.format(
                "scale: %d orchestrator(s) + %d worker(s), %d tasks in flight",
                o, w, settings.matrixInFlight()));
        points.addAll(
            onCluster(
                "o" + o + "_w" + w,
                o,
                w,
                ScaleReport.Series.CLUSTER,
                List.of(settings.matrixInFlight())));
      }
    }
    log.accept(
        String.format(
            "scale: %d orchestrator(s) + %d worker(s), tasks in flight %s",
            settings.seriesOrchestrators(), settings.seriesWorkers(), settings.inFlight()));
    points.addAll(
        onCluster(
            "in_flight",
            settings.seriesOrchestrators(),
            settings.seriesWorkers(),
            ScaleReport.Series.IN_FLIGHT,
            settings.inFlight()));
    var machine =
        new Comparison.Machine(
            Runtime.getRuntime().availableProcessors(),
            loadBefore,
            Comparison.loadAverage(),
            version);
    return new ScaleReport(machine, settings, points, (System.nanoTime() - t0) / 1_000_000_000L);
  }

  /** A fresh database and cluster, one point per load of {@code levels}, then both are gone. */
  private List<ScaleReport.Point> onCluster(
      String label, int orchestrators, int workers, ScaleReport.Series series, List<Integer> levels)
      throws IOException, InterruptedException {
    String dbLabel = "scale_" + label;
    DatabaseUrl url = databases.fresh(dbLabel);
    // Ctrl-C: the cluster's own hook stops the processes; this one drops their database
    Thread dropOnExit = new Thread(() -> databases.drop(dbLabel), "tasker-bench-scale-drop");
    Runtime.getRuntime().addShutdownHook(dropOnExit);
    List<ScaleReport.Point> points = new ArrayList<>();
    var topology =
        new LocalCluster.Topology(
            orchestrators,
            workers,
            work.resolve("templates"),
            work.resolve("handlers"),
            settings.workerConcurrency());
    DatabaseSettings dbSettings =
        new DatabaseSettings(
            Optional.of(url.libpqUrl()),
            TaskerHome.resolve(),
            InFlightLoad.connectionsNeeded(),
            true);
    try (Database db = Database.open(dbSettings);
        QueueWaker waker = new QueueWaker(db::openDedicatedConnection);
        LocalCluster cluster =
            LocalCluster.up(
                root, work.resolve("cluster-" + label), url, topology, READY_LIMIT, log);
        InFlightLoad load = new InFlightLoad(db, waker, settings.shapes())) {
      ScaleProbe probe = new ScaleProbe(url);
      for (int inFlight : levels) {
        ScaleReport.Point p = measure(series, topology, cluster, load, probe, inFlight);
        log.accept(describe(p));
        points.add(p);
      }
    } finally {
      databases.drop(dbLabel);
      try {
        Runtime.getRuntime().removeShutdownHook(dropOnExit);
      } catch (IllegalStateException e) {
        // already shutting down: the hook drops it (again, harmlessly)
      }
    }
    return points;
  }

  private ScaleReport.Point measure(
      ScaleReport.Series series,
      LocalCluster.Topology topology,
      LocalCluster cluster,
      InFlightLoad load,
      ScaleProbe probe,
      int inFlight)
      throws InterruptedException {
    long w0 = System.nanoTime();
    load.target(inFlight);
    boolean steady = load.awaitTurnover(settings.warmup(), settings.turnoverLimit());
    double warmup = (System.nanoTime() - w0) / 1e9;
    if (!steady) {
      log.accept(
          String.format(
              "scale: %d in flight: the tasks of the fill had not all finished after %d s;"
                  + " measuring anyway (not steady)",
              inFlight, settings.turnoverLimit().toSeconds()));
    }
    CpuUsage cpu = CpuUsage.start(processGroups(cluster, probe));
    ScaleProbe.Progress p0 = probe.progress();
    long sum = 0;
    int samples = 0;
    long end = System.nanoTime() + settings.window().toNanos();
    while (System.nanoTime() < end) {
      load.check();
      sum += load.inFlight();
      samples++;
      Thread.sleep(100);
    }
    ScaleProbe.Progress p1 = probe.progress();
    Map<String, Double> cores = cpu.stop(CPU_GROUPS);
    long steps = p1.stepsComplete() - p0.stepsComplete();
    double seconds = Duration.between(p0.at(), p1.at()).toNanos() / 1e9;
    if (steps <= 0) {
      throw new TaskerException(
          "bench_failed",
          "no step completed in "
              + Math.round(seconds)
              + " s with "
              + inFlight
              + " tasks in flight on "
              + topology.orchestrators()
              + " orchestrator(s) + "
              + topology.workers()
              + " worker(s); see the logs under "
              + work);
    }
    return new ScaleReport.Point(
        series,
        topology.orchestrators(),
        topology.workers(),
        inFlight,
        (double) sum / Math.max(1, samples),
        steady,
        warmup,
        seconds,
        steps,
        steps / seconds,
        (double) (p1.commits() - p0.commits()) / steps,
        probe.latency(p0.at(), p1.at()),
        cores,
        Comparison.loadAverage(),
        cluster.members());
  }

  private static Map<String, List<Long>> processGroups(LocalCluster cluster, ScaleProbe probe) {
    Map<String, List<Long>> groups = new LinkedHashMap<>();
    groups.put(
        "orchestrators",
        cluster.members().stream()
            .filter(ScaleReport.Process::orchestrator)
            .map(m -> m.pid())
            .toList());
    groups.put(
        "workers",
        cluster.members().stream().filter(m -> !m.orchestrator()).map(m -> m.pid()).toList());
    groups.put("postgres", probe.serverPids());
    groups.put("load_generator", List.of(ProcessHandle.current().pid()));
    return groups;
  }

  /** Fails before anything starts when the largest cluster cannot get its connections. */
  private void checkConnectionBudget() {
    var c = new ScaleProbe(server).connections();
    int perProcess = connectionsPerProcess();
    int needed = settings.largestCluster() * perProcess + InFlightLoad.connectionsNeeded() + 4;
    if (needed > c.usable() - c.inUse()) {
      throw new TaskerException(
          "usage",
          String.format(
              "the largest cluster (%d processes × %d connections, plus %d for the load"
                  + " generator) needs %d connections; %s allows %d and %d are in use. Use"
                  + " fewer processes, a smaller TASKER_DB_POOL_SIZE, or raise max_connections",
              settings.largestCluster(),
              perProcess,
              InFlightLoad.connectionsNeeded() + 4,
              needed,
              server.describe(),
              c.usable(),
              c.inUse()));
    }
  }

  /**
   * The bench templates of {@link E2eBenchmark} as files for {@code --templates}, and a class-path
   * directory whose service file names its no-op handler, for the workers' {@code
   * --handlers-classpath} (the class itself comes from the CLI jar).
   */
  private void writeTemplatesAndHandlers() throws IOException {
    Path templates = Files.createDirectories(work.resolve("templates"));
    for (String shape : settings.shapes()) {
      Files.writeString(templates.resolve(shape + ".yaml"), E2eBenchmark.templateYaml(shape));
    }
    Path services = Files.createDirectories(work.resolve("handlers/META-INF/services"));
    Files.writeString(
        services.resolve(StepHandler.class.getName()), E2eBenchmark.Noop.class.getName() + "\n");
  }

  static String describe(ScaleReport.Point p) {
    var l = p.latency();
    return String.format(
        java.util.Locale.ROOT,
        "scale: %d+%d, %d in flight: %.0f steps/s, %.2f commits/step, p50 %s p95 %s (%d tasks)%s",
        p.orchestrators(),
        p.workers(),
        p.inFlight(),
        p.stepsPerSecond(),
        p.commitsPerStep(),
        l.tasks() > 0 ? String.format(java.util.Locale.ROOT, "%.0fms", l.p50Ms()) : "-",
        l.tasks() > 0 ? String.format(java.util.Locale.ROOT, "%.0fms", l.p95Ms()) : "-",
        l.tasks(),
        p.steady() ? "" : " (not steady)");
  }
}
