package io.tasker.cli;

import io.tasker.bench.CompareWorkload;
import io.tasker.bench.ComparedEngine;
import io.tasker.bench.Comparison;
import io.tasker.bench.EngineOutcome;
import io.tasker.bench.PeerHarness;
import io.tasker.bench.TaskerFfiEngine;
import io.tasker.bench.TaskerJavaEngine;
import io.tasker.db.DatabaseSettings;
import io.tasker.db.DatabaseUrl;
import io.tasker.db.LocalPostgres;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tasker bench compare}: tasker next to DBOS Transact Java and graphile-worker. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "The same no-op workflows (linear a->b->c->d and diamond a->(b,c)->d, 4 steps each) on"
          + " tasker with Java handlers, DBOS Transact Java and graphile-worker, back to back,"
          + " each on a fresh database of the same PostgreSQL: P50/P95 latency one at a time,"
          + " steps/s with many in flight, commits per step. Prints a table and JSON.",
      "The peers' harnesses live in benchmarks/peers/ and install on first use (Maven for"
          + " DBOS, npm for graphile-worker); see benchmarks/peers/README.md. Exit code 1 when"
          + " an engine could not be measured (the others are still printed)."
    })
final class BenchCompareCommand implements Callable<Integer> {
  /** Engines that {@code --engines} can name. */
  enum EngineName {
    tasker,
    dbos,
    graphile
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--quick", description = "a short run: 50 per shape one at a time, 200 in flight")
  boolean quick;

  @Option(
      names = "--tasks",
      description = "workflows per shape for latency (default 200; quick 50)")
  Integer tasks;

  @Option(names = "--warmup", description = "warm-up workflows per shape (default 50; quick 10)")
  Integer warmup;

  @Option(
      names = "--throughput-tasks",
      description = "workflows per shape for throughput (default 1000; quick 200)")
  Integer throughputTasks;

  @Option(names = "--in-flight", description = "workflows in flight for throughput (default 32)")
  Integer inFlight;

  @Option(
      names = "--engines",
      split = ",",
      description = "which engines, in order (default: ${COMPLETION-CANDIDATES})")
  List<EngineName> engines = List.of(EngineName.values());

  @Option(
      names = "--tasker-ffi",
      split = ",",
      converter = FfiLanguageConverter.class,
      description =
          "also tasker with no-op handlers in these languages (python, ruby, typescript): one"
              + " worker process of that language over libtasker, the orchestrator in this"
              + " process (built shims needed: ./scripts/tasker build)")
  List<TaskerFfiEngine.Language> taskerFfi = List.of();

  @Option(
      names = "--peers-dir",
      description = "the peers' harnesses (default: benchmarks/peers of this repository)")
  Path peersDir;

  @Option(names = "--json", description = "print only the JSON document")
  boolean json;

  @Override
  public Integer call() {
    CompareWorkload workload = workload();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Consumer<String> log =
        line -> {
          err.println(line);
          err.flush();
        };
    DatabaseSettings settings = TaskerCli.root(spec).databaseSettings();
    boolean embedded = settings.url().isEmpty();
    DatabaseUrl server =
        settings
            .url()
            .map(DatabaseUrl::parse)
            .orElseGet(() -> new LocalPostgres(settings.home()).ensureRunning());
    List<ComparedEngine> chosen = engines(settings, log);
    Comparison.Report report = Comparison.run(server, chosen, workload, log);
    if (!json) {
      printTable(out, report, server, embedded);
    }
    out.println(report.toJson());
    out.flush();
    boolean anyFailed = report.engines().stream().anyMatch(e -> e instanceof EngineOutcome.Failed);
    return anyFailed ? 1 : 0;
  }

  private CompareWorkload workload() {
    CompareWorkload base = quick ? CompareWorkload.quick() : CompareWorkload.full();
    return new CompareWorkload(
        Optional.ofNullable(tasks).orElse(base.latencyTasks()),
        Optional.ofNullable(warmup).orElse(base.warmup()),
        Optional.ofNullable(throughputTasks).orElse(base.throughputTasks()),
        Optional.ofNullable(inFlight).orElse(base.inFlight()));
  }

  private List<ComparedEngine> engines(DatabaseSettings settings, Consumer<String> log) {
    if (engines.isEmpty() || EnumSet.copyOf(engines).size() != engines.size()) {
      throw Args.usage("--engines must name each engine at most once (got " + engines + ")");
    }
    if (!taskerFfi.isEmpty() && !engines.contains(EngineName.tasker)) {
      throw Args.usage("--tasker-ffi adds rows next to tasker's: keep tasker in --engines");
    }
    if (java.util.Set.copyOf(taskerFfi).size() != taskerFfi.size()) {
      throw Args.usage("--tasker-ffi must name each language at most once (got " + taskerFfi + ")");
    }
    Path peers = engines.stream().anyMatch(e -> e != EngineName.tasker) ? peersDir() : null;
    List<ComparedEngine> list = new ArrayList<>();
    for (EngineName e : engines) {
      list.add(
          switch (e) {
            case tasker -> new TaskerJavaEngine(settings.home());
            case dbos -> PeerHarness.dbos(peers, log);
            case graphile -> PeerHarness.graphile(peers, log);
          });
      if (e == EngineName.tasker) {
        for (TaskerFfiEngine.Language lang : taskerFfi) {
          list.add(new TaskerFfiEngine(lang, repositoryRoot(), settings.home()));
        }
      }
    }
    return list;
  }

  /** The repository the launcher runs from (scripts/cluster, benchmarks/ffi, the shims). */
  private static Path repositoryRoot() {
    String root = System.getenv("TASKER_ROOT");
    if (root == null || !Files.isExecutable(Path.of(root, "scripts", "cluster"))) {
      throw Args.usage(
          "--tasker-ffi starts workers with scripts/cluster: run it through ./scripts/tasker");
    }
    return Path.of(root);
  }

  /** {@code python}, {@code ruby}, {@code typescript} (any case). */
  static final class FfiLanguageConverter
      implements CommandLine.ITypeConverter<TaskerFfiEngine.Language> {
    @Override
    public TaskerFfiEngine.Language convert(String value) {
      for (TaskerFfiEngine.Language l : TaskerFfiEngine.Language.values()) {
        if (l.label().equalsIgnoreCase(value.strip())) {
          return l;
        }
      }
      throw new CommandLine.TypeConversionException(
          "unknown language '" + value + "' (python, ruby, typescript)");
    }
  }

  /** {@code --peers-dir}, else benchmarks/peers above the working directory or this jar. */
  private Path peersDir() {
    if (peersDir != null) {
      if (!Files.isDirectory(peersDir.resolve("dbos"))
          || !Files.isDirectory(peersDir.resolve("graphile"))) {
        throw Args.usage("--peers-dir " + peersDir + " has no dbos/ and graphile/ harnesses");
      }
      return peersDir.toAbsolutePath().normalize();
    }
    List<Path> starts = new ArrayList<>();
    starts.add(Path.of("").toAbsolutePath());
    var source = BenchCompareCommand.class.getProtectionDomain().getCodeSource();
    if (source != null) {
      try {
        starts.add(Path.of(source.getLocation().toURI()));
      } catch (java.net.URISyntaxException | IllegalArgumentException e) {
        // a jar location that is no file path: the working directory is the only start
      }
    }
    for (Path start : starts) {
      for (Path dir = start; dir != null; dir = dir.getParent()) {
        Path candidate = dir.resolve("benchmarks/peers");
        if (Files.isRegularFile(candidate.resolve("dbos/pom.xml"))) {
          return candidate;
        }
      }
    }
    throw Args.usage(
        "cannot find benchmarks/peers (looked above "
            + starts
            + "); run from the repository or give --peers-dir, or use --engines tasker");
  }

  private static void printTable(
      PrintWriter out, Comparison.Report report, DatabaseUrl server, boolean embedded) {
    var m = report.machine();
    out.printf(
        "bench compare on %s (%s), PostgreSQL %s, %d CPUs, load average %.1f before, %.1f"
            + " after%n",
        server.describe(),
        embedded ? "embedded" : "DATABASE_URL",
        m.postgresVersion(),
        m.cpus(),
        m.loadAverageBefore(),
        m.loadAverageAfter());
    var w = report.workload();
    out.printf(
        "no-op workflows of 4 steps; latency: %d one at a time after %d warm-up; throughput: %d"
            + " with %d in flight%n",
        w.latencyTasks(), w.warmup(), w.throughputTasks(), w.inFlight());
    out.printf(
        "%-30s %-8s %9s %9s %9s %9s %13s%n",
        "engine", "shape", "p50", "p95", "p99", "steps/s", "commits/step");
    for (EngineOutcome e : report.engines()) {
      switch (e) {
        case EngineOutcome.Failed f -> out.printf("%-30s FAILED: %s%n", f.engine(), f.reason());
        case EngineOutcome.Measured ms -> {
          for (var r : ms.results()) {
            out.printf(
                "%-30s %-8s %7.2fms %7.2fms %7.2fms %9.0f %13.2f%n",
                ms.engine(),
                r.shape(),
                r.p50Ms(),
                r.p95Ms(),
                r.p99Ms(),
                r.stepsPerSecond(),
                r.commitsPerStep());
          }
        }
      }
    }
  }
}
