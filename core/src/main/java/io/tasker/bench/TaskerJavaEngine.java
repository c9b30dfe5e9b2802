package io.tasker.bench;

import io.tasker.BuildInfo;
import io.tasker.TaskerException;
import io.tasker.db.Database;
import io.tasker.db.DatabaseSettings;
import io.tasker.db.DatabaseUrl;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tasker with no-op Java handlers, orchestrator and worker in this process (the all-in-one mode),
 * measured by {@link E2eBenchmark}: completion is the task's final-state event, not a poll.
 */
public final class TaskerJavaEngine implements ComparedEngine {
  /** Orchestrator and worker concurrency, as in {@code tasker bench e2e}. */
  static final int CONCURRENCY = 16;

  private final Path taskerHome;

  /** {@code taskerHome}: only used for settings; the database is always the given URL. */
  public TaskerJavaEngine(Path taskerHome) {
    this.taskerHome = taskerHome;
  }

  @Override
  public String name() {
    return "tasker (Java handlers)";
  }

  @Override
  public String label() {
    return "tasker";
  }

  private static Map<String, Object> settings() {
    Map<String, Object> s = new java.util.LinkedHashMap<>();
    s.put("orchestrator_and_worker_concurrency", CONCURRENCY);
    s.put("wake_up", "in-process at commit (all-in-one); LISTEN/NOTIFY across processes");
    return s;
  }

  /** The workload's shapes, latency then throughput, through {@code bench}. */
  static List<EngineOutcome.ShapeResult> measure(
      E2eBenchmark bench, CommitCounter commits, CompareWorkload w) {
    List<EngineOutcome.ShapeResult> out = new ArrayList<>();
    for (String shape : CompareWorkload.SHAPES) {
      if (w.warmup() > 0) {
        bench.latency(shape, w.warmup());
      }
      E2eBenchmark.Result lat = bench.latency(shape, w.latencyTasks());
      long c0 = commits.read();
      E2eBenchmark.Throughput thr = bench.throughput(shape, w.inFlight(), w.throughputTasks());
      long c1 = commits.read();
      out.add(
          new EngineOutcome.ShapeResult(
              shape,
              lat.steps(),
              lat.tasks(),
              lat.p50Ms(),
              lat.p95Ms(),
              lat.p99Ms(),
              thr.tasks(),
              thr.inFlight(),
              thr.stepsPerSecond(),
              (double) (c1 - c0) / ((long) thr.tasks() * lat.steps())));
    }
    return out;
  }

  @Override
  public EngineOutcome run(DatabaseUrl database, CompareWorkload w) {
    DatabaseSettings settings =
        new DatabaseSettings(Optional.of(database.libpqUrl()), taskerHome, CONCURRENCY + 8, true);
    CommitCounter commits = new CommitCounter(database);
    try (Database db = Database.open(settings)) {
      List<EngineOutcome.ShapeResult> rows =
          E2eBenchmark.withEngine(db, CONCURRENCY, bench -> measure(bench, commits, w));
      return new EngineOutcome.Measured(
          name(), BuildInfo.version(), "java " + Runtime.version().feature(), settings(), rows);
    } catch (TaskerException | IllegalStateException e) {
      return new EngineOutcome.Failed(name(), e.getMessage());
    }
  }
}
