package io.tasker.bench;

import io.tasker.TaskerException;
import java.time.Duration;
import java.util.List;

/**
 * What {@code tasker bench scale} runs: a matrix of clusters (every orchestrator count × every
 * worker count, each kept busy with {@code matrixInFlight} tasks), then one cluster of {@code
 * seriesOrchestrators} + {@code seriesWorkers} under each number of tasks in flight of {@code
 * inFlight}. Every point: warm-up, then a measured window of {@code window}.
 *
 * @param turnoverLimit the longest a point waits for the tasks of its fill to finish before it
 *     measures anyway (the point is then reported as not steady)
 * @param workerConcurrency handlers running at once per worker process
 */
public record ScaleSettings(
    List<Integer> orchestrators,
    List<Integer> workers,
    int matrixInFlight,
    List<Integer> inFlight,
    int seriesOrchestrators,
    int seriesWorkers,
    List<String> shapes,
    Duration warmup,
    Duration window,
    Duration turnoverLimit,
    int workerConcurrency) {
  /** More processes than this would not fit the connection budget of one default server. */
  public static final int MAX_PROCESSES_PER_KIND = 16;

  public static final int MAX_IN_FLIGHT = 100_000;

  public ScaleSettings {
    orchestrators = List.copyOf(orchestrators);
    workers = List.copyOf(workers);
    inFlight = List.copyOf(inFlight);
    shapes = List.copyOf(shapes);
    counts("--orchestrators", orchestrators, MAX_PROCESSES_PER_KIND);
    counts("--workers", workers, MAX_PROCESSES_PER_KIND);
    counts("--in-flight", inFlight, MAX_IN_FLIGHT);
    counts("--cluster-in-flight", List.of(matrixInFlight), MAX_IN_FLIGHT);
    counts(
        "--in-flight-cluster orchestrators", List.of(seriesOrchestrators), MAX_PROCESSES_PER_KIND);
    counts("--in-flight-cluster workers", List.of(seriesWorkers), MAX_PROCESSES_PER_KIND);
    counts("worker concurrency", List.of(workerConcurrency), 1024);
    if (shapes.isEmpty()) {
      throw invalid("--shapes names no shape (choose from " + E2eBenchmark.SHAPES.keySet() + ")");
    }
    for (String shape : shapes) {
      if (!E2eBenchmark.SHAPES.containsKey(shape)) {
        throw invalid(
            "--shapes: unknown shape '"
                + shape
                + "' (choose from "
                + E2eBenchmark.SHAPES.keySet()
                + ")");
      }
    }
    if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofHours(1)) > 0) {
      throw invalid("--seconds must be 1..3600 (got " + window.toSeconds() + ")");
    }
    if (warmup.isNegative() || turnoverLimit.compareTo(warmup) < 0) {
      throw invalid("the warm-up must be >= 0 and at most the turnover limit");
    }
  }

  /** The default run (about 15 minutes on 2 cores). */
  public static ScaleSettings full() {
    return new ScaleSettings(
        List.of(1, 2, 4),
        List.of(1, 2, 4, 8),
        200,
        List.of(10, 100, 1000, 10_000),
        2,
        4,
        List.of("linear", "diamond"),
        Duration.ofSeconds(5),
        Duration.ofSeconds(15),
        Duration.ofSeconds(180),
        32);
  }

  /** {@code --quick}: fewer and shorter points (about 3 minutes on 2 cores). */
  public static ScaleSettings quick() {
    return new ScaleSettings(
        List.of(1, 2),
        List.of(1, 2),
        100,
        List.of(10, 100, 1000),
        2,
        2,
        List.of("linear", "diamond"),
        Duration.ofSeconds(2),
        Duration.ofSeconds(6),
        Duration.ofSeconds(45),
        32);
  }

  public ScaleSettings withMatrix(List<Integer> orchestratorCounts, List<Integer> workerCounts) {
    return new ScaleSettings(
        orchestratorCounts,
        workerCounts,
        matrixInFlight,
        inFlight,
        seriesOrchestrators,
        seriesWorkers,
        shapes,
        warmup,
        this.window,
        turnoverLimit,
        workerConcurrency);
  }

  public ScaleSettings withSeries(List<Integer> levels, int orchestratorCount, int workerCount) {
    return new ScaleSettings(
        orchestrators,
        workers,
        matrixInFlight,
        levels,
        orchestratorCount,
        workerCount,
        shapes,
        warmup,
        this.window,
        turnoverLimit,
        workerConcurrency);
  }

  public ScaleSettings withLoad(int matrixLoad, List<String> shapeNames, Duration measured) {
    return new ScaleSettings(
        orchestrators,
        workers,
        matrixLoad,
        inFlight,
        seriesOrchestrators,
        seriesWorkers,
        shapeNames,
        warmup,
        measured,
        turnoverLimit,
        workerConcurrency);
  }

  /** The most processes any one cluster of this run has. */
  public int largestCluster() {
    int matrix =
        orchestrators.stream().mapToInt(i -> i).max().orElse(0)
            + workers.stream().mapToInt(i -> i).max().orElse(0);
    return Math.max(matrix, seriesOrchestrators + seriesWorkers);
  }

  private static void counts(String option, List<Integer> values, int max) {
    if (values.isEmpty()) {
      throw invalid(option + " needs at least one number");
    }
    for (int v : values) {
      if (v < 1 || v > max) {
        throw invalid(option + ": " + v + " is out of range (every number must be 1.." + max + ")");
      }
    }
    if (values.stream().distinct().count() != values.size()) {
      throw invalid(option + " lists a number twice: " + values);
    }
  }

  private static TaskerException invalid(String message) {
    return new TaskerException("usage", message);
  }
}
