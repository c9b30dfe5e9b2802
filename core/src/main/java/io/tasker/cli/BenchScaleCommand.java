package io.tasker.cli;

import io.tasker.bench.ScaleReport;
import io.tasker.bench.ScaleSettings;
import io.tasker.bench.ScalingCurve;
import io.tasker.db.DatabaseSettings;
import io.tasker.db.DatabaseUrl;
import io.tasker.db.LocalPostgres;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tasker bench scale}: the scaling curve of a local cluster on one database. */
@Command(
    name = "scale",
    mixinStandardHelpOptions = true,
    description = {
      "The scaling curve: for every orchestrator count × worker count, a fresh database and a"
          + " cluster of separate processes (scripts/cluster, Java workers, the no-op bench"
          + " handler) kept busy with no-op 4-step tasks; steps/s, commits per step, P50/P95/P99"
          + " task latency and CPU per group of processes, measured from the database after a"
          + " warm-up. Then one cluster under more and more tasks in flight (10 -> 10,000).",
      "Progress on stderr; a table and one JSON document on stdout. Every cluster is torn down"
          + " after its points, also on failure and Ctrl-C. About 15 minutes on 2 cores;"
          + " --quick about 3."
    })
final class BenchScaleCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--quick", description = "fewer, shorter points (1,2 × 1,2; 10,100,1000)")
  boolean quick;

  @Option(
      names = "--orchestrators",
      paramLabel = "N,N,..",
      description = "orchestrator counts of the cluster curve (default 1,2,4; quick 1,2)")
  String orchestrators;

  @Option(
      names = "--workers",
      paramLabel = "N,N,..",
      description = "worker counts of the cluster curve (default 1,2,4,8; quick 1,2)")
  String workers;

  @Option(
      names = "--cluster-in-flight",
      paramLabel = "N",
      description = "tasks in flight on every point of the cluster curve (default 200; quick 100)")
  Integer clusterInFlight;

  @Option(
      names = "--in-flight",
      paramLabel = "N,N,..",
      description =
          "tasks in flight of the latency curve (default 10,100,1000,10000; quick 10,100,1000)")
  String inFlight;

  @Option(
      names = "--in-flight-cluster",
      paramLabel = "OxW",
      description = "the cluster of the latency curve, e.g. 2x4 (default 2x4; quick 2x2)")
  String inFlightCluster;

  @Option(
      names = "--shapes",
      paramLabel = "SHAPE,..",
      description = "workflow shapes, alternated (default linear,diamond; also tree, mixed_dag)")
  String shapes;

  @Option(
      names = "--seconds",
      paramLabel = "N",
      description = "measured window of every point (default 15; quick 6)")
  Integer seconds;

  @Option(names = "--json", description = "print only the JSON document")
  boolean json;

  @Override
  public Integer call() throws Exception {
    ScaleSettings settings = settings();
    String rootEnv = System.getenv("TASKER_ROOT");
    if (rootEnv == null || !Files.isExecutable(Path.of(rootEnv, "scripts", "cluster"))) {
      throw Args.usage("bench scale runs scripts/cluster: start it through ./scripts/tasker");
    }
    DatabaseSettings db = TaskerCli.root(spec).databaseSettings();
    boolean embedded = db.url().isEmpty();
    DatabaseUrl server =
        db.url()
            .map(DatabaseUrl::parse)
            .orElseGet(() -> new LocalPostgres(db.home()).ensureRunning());
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path work = Files.createTempDirectory("tasker-scale-");
    err.println("scale: templates, handlers and cluster logs in " + work);
    err.flush();
    ScaleReport report =
        new ScalingCurve(
                server,
                settings,
                Path.of(rootEnv),
                work,
                line -> {
                  err.println(line);
                  err.flush();
                })
            .run();
    if (!json) {
      ScaleTable.print(out, report, server.describe() + (embedded ? " (embedded)" : ""));
    }
    out.println(report.toJson());
    out.flush();
    return TaskerCli.OK;
  }

  private ScaleSettings settings() {
    ScaleSettings base = quick ? ScaleSettings.quick() : ScaleSettings.full();
    int[] series =
        inFlightCluster == null
            ? new int[] {base.seriesOrchestrators(), base.seriesWorkers()}
            : cluster(inFlightCluster);
    // ScaleSettings rejects zeros, repeats, out-of-range numbers and unknown shapes (usage errors)
    return base.withMatrix(
            list("--orchestrators", orchestrators, base.orchestrators()),
            list("--workers", workers, base.workers()))
        .withSeries(list("--in-flight", inFlight, base.inFlight()), series[0], series[1])
        .withLoad(
            clusterInFlight == null ? base.matrixInFlight() : clusterInFlight,
            shapes == null
                ? base.shapes()
                : Arrays.stream(shapes.split(",", -1)).map(String::strip).toList(),
            seconds == null ? base.window() : Duration.ofSeconds(seconds));
  }

  /** A comma list of whole numbers ({@code 1,2,4}), or a usage error that shows it. */
  static List<Integer> list(String option, String value, List<Integer> otherwise) {
    if (value == null) {
      return otherwise;
    }
    List<Integer> numbers = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      try {
        numbers.add(Integer.parseInt(part.strip()));
      } catch (NumberFormatException e) {
        throw Args.usage(
            option
                + " takes a comma list of whole numbers such as 1,2,4 (got '"
                + value
                + "': '"
                + part
                + "' is not a number)");
      }
    }
    return numbers;
  }

  /** {@code OxW}: orchestrators and workers of the latency curve's cluster. */
  static int[] cluster(String value) {
    String[] parts = value.toLowerCase(Locale.ROOT).split("x", -1);
    try {
      if (parts.length == 2) {
        return new int[] {Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip())};
      }
    } catch (NumberFormatException e) {
      // the usage error below says what the form is
    }
    throw Args.usage(
        "--in-flight-cluster takes ORCHESTRATORSxWORKERS such as 2x4 (got '" + value + "')");
  }
}
