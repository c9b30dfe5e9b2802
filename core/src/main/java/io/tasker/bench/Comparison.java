package io.tasker.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.Json;
import io.tasker.db.DatabaseUrl;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code tasker bench compare}: the same workload on several engines, back to back, each on a fresh
 * database of the same PostgreSQL server, so their latency, throughput and commits per step
 * compare. An engine that fails is reported as such; the others still run.
 */
public final class Comparison {
  /** Where the numbers were taken: they only compare within one run on one machine. */
  public record Machine(
      int cpus, double loadAverageBefore, double loadAverageAfter, String postgresVersion) {}

  /** Everything the command prints. */
  public record Report(Machine machine, CompareWorkload workload, List<EngineOutcome> engines) {
    public Report {
      engines = List.copyOf(engines);
    }

    /** The JSON document (snake_case, like the harnesses' lines). */
    public ObjectNode toJson() {
      ObjectNode doc = Json.object().put("benchmark", "compare");
      doc.putObject("machine")
          .put("cpus", machine.cpus())
          .put("load_average_before", round(machine.loadAverageBefore()))
          .put("load_average_after", round(machine.loadAverageAfter()))
          .put("postgres", machine.postgresVersion());
      doc.putObject("workload")
          .put("steps_per_workflow", CompareWorkload.STEPS)
          .put("latency_tasks", workload.latencyTasks())
          .put("warmup", workload.warmup())
          .put("throughput_tasks", workload.throughputTasks())
          .put("in_flight", workload.inFlight());
      ArrayNode list = doc.putArray("engines");
      for (EngineOutcome e : engines) {
        ObjectNode node = list.addObject().put("engine", e.engine());
        switch (e) {
          case EngineOutcome.Failed f -> node.put("error", f.reason());
          case EngineOutcome.Measured m -> {
            node.put("version", m.version()).put("runtime", m.runtime());
            node.set("settings", Json.MAPPER.valueToTree(m.settings()));
            ArrayNode rows = node.putArray("results");
            for (EngineOutcome.ShapeResult r : m.results()) {
              rows.addObject()
                  .put("shape", r.shape())
                  .put("steps", r.steps())
                  .put("latency_tasks", r.latencyTasks())
                  .put("p50_ms", round(r.p50Ms()))
                  .put("p95_ms", round(r.p95Ms()))
                  .put("p99_ms", round(r.p99Ms()))
                  .put("throughput_tasks", r.throughputTasks())
                  .put("in_flight", r.inFlight())
                  .put("steps_per_s", round(r.stepsPerSecond()))
                  .put("commits_per_step", round(r.commitsPerStep()));
            }
          }
        }
      }
      return doc;
    }
  }

  private Comparison() {}

  /**
   * Runs {@code engines} one after another, each on its own fresh database next to {@code server}
   * (dropped afterwards); progress goes to {@code log}.
   */
  public static Report run(
      DatabaseUrl server,
      List<ComparedEngine> engines,
      CompareWorkload workload,
      Consumer<String> log) {
    BenchDatabases databases = new BenchDatabases(server);
    double loadBefore = loadAverage();
    String version = databases.serverVersion();
    List<EngineOutcome> outcomes = new ArrayList<>();
    for (ComparedEngine engine : engines) {
      log.accept(engine.name() + ": fresh database, " + describe(workload));
      DatabaseUrl db = databases.fresh(engine.label());
      try {
        EngineOutcome outcome = engine.run(db, workload);
        if (outcome instanceof EngineOutcome.Failed f) {
          log.accept(engine.name() + ": FAILED: " + f.reason());
        }
        outcomes.add(outcome);
      } finally {
        databases.drop(engine.label());
      }
    }
    Machine machine =
        new Machine(Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage(), version);
    return new Report(machine, workload, outcomes);
  }

  private static String describe(CompareWorkload w) {
    return String.format(
        java.util.Locale.ROOT,
        "%d workflows per shape one at a time (after %d warm-up), then %d with %d in flight",
        w.latencyTasks(),
        w.warmup(),
        w.throughputTasks(),
        w.inFlight());
  }

  /** The one-minute load average (-1 where the platform has none). */
  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static double round(double x) {
    return Math.round(x * 100) / 100.0;
  }
}
