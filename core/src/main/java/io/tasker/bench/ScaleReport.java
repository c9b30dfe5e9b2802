package io.tasker.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.Json;
import java.util.List;
import java.util.Map;

/** Everything {@code tasker bench scale} prints: the machine, the settings, every point. */
public record ScaleReport(
    Comparison.Machine machine, ScaleSettings settings, List<Point> points, long seconds) {
  public ScaleReport {
    points = List.copyOf(points);
  }

  /** Creation → completion of the tasks that finished in a window ({@code tasks} 0: none did). */
  public record Latency(long tasks, double p50Ms, double p95Ms, double p99Ms) {}

  /** A process of a point's cluster. */
  public record Process(String name, long pid, boolean orchestrator) {}

  /** Which curve a point belongs to. */
  public enum Series {
    /** Orchestrators × workers at a fixed load: throughput as processes are added. */
    CLUSTER,
    /** One cluster, more and more tasks in flight: latency as the queues grow. */
    IN_FLIGHT;

    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One measured window. {@code steady}: every task created while the point filled up had finished
   * before the window began (else the turnover limit cut the warm-up short). {@code cpuCores}:
   * cores each group of processes used during the window.
   */
  public record Point(
      Series series,
      int orchestrators,
      int workers,
      int inFlight,
      double meanInFlight,
      boolean steady,
      double warmupSeconds,
      double seconds,
      long steps,
      double stepsPerSecond,
      double commitsPerStep,
      Latency latency,
      Map<String, Double> cpuCores,
      double loadAverage,
      List<Process> processes) {
    public Point {
      cpuCores = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(cpuCores));
      processes = List.copyOf(processes);
    }
  }

  public List<Point> points(Series series) {
    return points.stream().filter(p -> p.series() == series).toList();
  }

  public ObjectNode toJson() {
    ObjectNode doc = Json.object().put("benchmark", "scale").put("seconds", seconds);
    doc.putObject("machine")
        .put("cpus", machine.cpus())
        .put("load_average_before", round(machine.loadAverageBefore()))
        .put("load_average_after", round(machine.loadAverageAfter()))
        .put("postgres", machine.postgresVersion());
    ObjectNode s = doc.putObject("settings");
    s.set("orchestrators", Json.MAPPER.valueToTree(settings.orchestrators()));
    s.set("workers", Json.MAPPER.valueToTree(settings.workers()));
    s.put("cluster_in_flight", settings.matrixInFlight());
    s.set("in_flight", Json.MAPPER.valueToTree(settings.inFlight()));
    s.put("in_flight_orchestrators", settings.seriesOrchestrators())
        .put("in_flight_workers", settings.seriesWorkers());
    s.set("shapes", Json.MAPPER.valueToTree(settings.shapes()));
    s.put("warmup_seconds", settings.warmup().toSeconds())
        .put("window_seconds", settings.window().toSeconds())
        .put("turnover_limit_seconds", settings.turnoverLimit().toSeconds())
        .put("worker_concurrency", settings.workerConcurrency());
    ArrayNode list = doc.putArray("points");
    for (Point p : points) {
      ObjectNode n =
          list.addObject()
              .put("series", p.series().key())
              .put("orchestrators", p.orchestrators())
              .put("workers", p.workers())
              .put("in_flight", p.inFlight())
              .put("mean_in_flight", round(p.meanInFlight()))
              .put("steady", p.steady())
              .put("warmup_seconds", round(p.warmupSeconds()))
              .put("seconds", round(p.seconds()))
              .put("steps", p.steps())
              .put("steps_per_s", round(p.stepsPerSecond()))
              .put("commits_per_step", round(p.commitsPerStep()))
              .put("commits_per_s", Math.round(p.stepsPerSecond() * p.commitsPerStep()))
              .put("tasks_finished_in_window", p.latency().tasks());
      if (p.latency().tasks() > 0) {
        n.put("p50_ms", round(p.latency().p50Ms()))
            .put("p95_ms", round(p.latency().p95Ms()))
            .put("p99_ms", round(p.latency().p99Ms()));
      } else {
        n.putNull("p50_ms").putNull("p95_ms").putNull("p99_ms");
      }
      ObjectNode cpu = n.putObject("cpu_cores");
      p.cpuCores().forEach(cpu::put);
      n.put("load_average", round(p.loadAverage()));
      ArrayNode procs = n.putArray("processes");
      for (Process m : p.processes()) {
        procs.addObject().put("name", m.name()).put("pid", m.pid());
      }
    }
    return doc;
  }

  private static double round(double x) {
    return Math.round(x * 100) / 100.0;
  }
}
