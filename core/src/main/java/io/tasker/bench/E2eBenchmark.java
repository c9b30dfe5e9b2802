package io.tasker.bench;

import io.tasker.Json;
import io.tasker.db.Database;
import io.tasker.orchestration.Engine;
import io.tasker.orchestration.Orchestrator;
import io.tasker.orchestration.TaskQueries;
import io.tasker.orchestration.TaskRequest;
import io.tasker.queue.QueueWaker;
import io.tasker.worker.HandlerRegistry;
import io.tasker.worker.StepContext;
import io.tasker.worker.StepHandler;
import io.tasker.worker.StepResult;
import io.tasker.worker.Worker;
import io.tasker.worker.WorkerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end latency and throughput with no-op Java handlers, orchestrator and worker in this
 * process (the all-in-one mode). Completion is observed by the task's final-state event, not by
 * polling.
 */
public final class E2eBenchmark {
  /** Workflow shapes of DESIGN.md §11: name → (step → dependencies). */
  static final Map<String, Map<String, List<String>>> SHAPES = shapes();

  /** One shape's numbers. */
  public record Result(
      String shape,
      int steps,
      int tasks,
      double createP50Ms,
      double createP95Ms,
      double p50Ms,
      double p95Ms,
      double p99Ms) {}

  /**
   * Sustained throughput. {@code commitsPerStep}: the database's committed transactions (every
   * client's, {@code pg_stat_database.xact_commit}) during the run per step; independent of the
   * machine's speed, so it compares engines and versions even on a busy machine.
   */
  public record Throughput(
      String shape,
      int inFlight,
      int tasks,
      double stepsPerSecond,
      double tasksPerSecond,
      double commitsPerStep) {}

  /** Everything {@code tasker bench e2e} prints. */
  public record Report(List<Result> latency, List<Throughput> throughput) {}

  private final Engine engine;
  private final QueueWaker waker;
  private final TaskQueries queries;

  private E2eBenchmark(Engine engine, QueueWaker waker) {
    this.engine = engine;
    this.waker = waker;
    this.queries = new TaskQueries(engine.database().dataSource());
  }

  /** Runs {@code body} with an engine, an orchestrator and a worker serving namespace bench. */
  public static <T> T withEngine(
      Database db, int concurrency, java.util.function.Function<E2eBenchmark, T> body) {
    return withEngine(db, concurrency, true, body);
  }

  /**
   * As {@link #withEngine(Database, int, java.util.function.Function)}; without {@code javaWorker}
   * no worker runs in this process: {@code body} starts one elsewhere (another language's worker
   * process serving namespace bench with the {@link #templateYaml} templates).
   */
  public static <T> T withEngine(
      Database db,
      int concurrency,
      boolean javaWorker,
      java.util.function.Function<E2eBenchmark, T> body) {
    try (QueueWaker waker = new QueueWaker(db::openDedicatedConnection)) {
      Engine engine = new Engine(db, waker);
      for (String shape : SHAPES.keySet()) {
        engine
            .templates()
            .register(engine.templates().parser().parse(templateYaml(shape), "bench"), true);
      }
      HandlerRegistry handlers = new HandlerRegistry().register(new Noop());
      Orchestrator o = new Orchestrator(engine, waker, concurrency).start();
      Worker w =
          javaWorker
              ? new Worker(
                      engine,
                      waker,
                      handlers,
                      WorkerConfig.of(List.of("bench")).withConcurrency(concurrency))
                  .start()
              : null;
      try {
        return body.apply(new E2eBenchmark(engine, waker));
      } finally {
        if (w != null) {
          w.close();
        }
        o.close();
      }
    }
  }

  /**
   * Latency per shape ({@code tasks} each, after a warm-up), then sustained throughput of the
   * linear and diamond shapes with {@code inFlight} tasks running.
   */
  public Report run(int tasks, int inFlight, int throughputTasks) {
    List<Result> rows = new ArrayList<>();
    for (String shape : SHAPES.keySet()) {
      latency(shape, Math.min(50, tasks)); // warm-up: JIT, plans, pool
      rows.add(latency(shape, tasks));
    }
    return new Report(
        rows,
        List.of(
            throughput("linear", inFlight, throughputTasks),
            throughput("diamond", inFlight, throughputTasks)));
  }

  /** Tasks one at a time: creation latency and creation → complete latency. */
  public Result latency(String shape, int tasks) {
    long[] create = new long[tasks];
    long[] total = new long[tasks];
    for (int i = 0; i < tasks; i++) {
      long t0 = System.nanoTime();
      UUID task = engine.createTask(request(shape));
      long t1 = System.nanoTime();
      await(task);
      long t2 = System.nanoTime();
      create[i] = t1 - t0;
      total[i] = t2 - t0;
    }
    Arrays.sort(create);
    Arrays.sort(total);
    return new Result(
        shape,
        SHAPES.get(shape).size(),
        tasks,
        ms(create, 0.5),
        ms(create, 0.95),
        ms(total, 0.5),
        ms(total, 0.95),
        ms(total, 0.99));
  }

  /** Keeps {@code inFlight} tasks running until {@code tasks} have completed. */
  public Throughput throughput(String shape, int inFlight, int tasks) {
    Semaphore slots = new Semaphore(inFlight);
    AtomicLong done = new AtomicLong();
    List<Thread> waiters = new ArrayList<>();
    long commits0 = commits();
    long t0 = System.nanoTime();
    try {
      for (int i = 0; i < tasks; i++) {
        slots.acquire();
        UUID task = engine.createTask(request(shape));
        waiters.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      await(task);
                      done.incrementAndGet();
                      slots.release();
                    }));
      }
      for (Thread t : waiters) {
        t.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    long commits = commits() - commits0;
    int steps = SHAPES.get(shape).size();
    return new Throughput(
        shape,
        inFlight,
        tasks,
        done.get() * steps / seconds,
        done.get() / seconds,
        (double) commits / Math.max(1, done.get() * steps));
  }

  /** Transactions committed in this database so far (see {@link CommitCounter}). */
  private long commits() {
    return new CommitCounter(engine.database().url()).read();
  }

  private void await(UUID task) {
    try {
      var state = queries.awaitFinal(task, waker, Duration.ofSeconds(60));
      if (state.isEmpty() || !state.get().wire().equals("complete")) {
        throw new IllegalStateException(
            "bench task " + task + " ended " + state.map(s -> s.wire()).orElse("by timeout"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static TaskRequest request(String shape) {
    return TaskRequest.of("bench", shape, Json.object());
  }

  private static double ms(long[] sorted, double p) {
    int idx = Math.clamp((int) Math.ceil(p * sorted.length) - 1, 0, sorted.length - 1);
    return sorted[idx] / 1e6;
  }

  /**
   * A handler that does nothing, so the numbers are the engine's. Public with a public constructor
   * so that worker processes of {@code tasker bench scale} load it through ServiceLoader.
   */
  public static final class Noop implements StepHandler {
    public Noop() {}

    @Override
    public StepResult call(StepContext ctx) {
      return StepResult.success(Json.object().put("ok", true));
    }

    @Override
    public String handlerName() {
      return "bench.noop";
    }
  }

  /** The template of a shape: namespace bench, every step handled by {@code bench.noop}. */
  static String templateYaml(String name) {
    Map<String, List<String>> steps = SHAPES.get(name);
    StringBuilder sb =
        new StringBuilder()
            .append("name: ")
            .append(name)
            .append("\nnamespace_name: bench\nversion: 1.0.0\n")
            .append("identity_strategy: always_unique\nsteps:\n");
    steps.forEach(
        (step, deps) ->
            sb.append("  - name: ")
                .append(step)
                .append("\n    handler: {callable: bench.noop}\n    dependencies: ")
                .append(deps)
                .append('\n'));
    return sb.toString();
  }

  private static Map<String, Map<String, List<String>>> shapes() {
    Map<String, Map<String, List<String>>> m = new LinkedHashMap<>();
    Map<String, List<String>> linear = new LinkedHashMap<>();
    linear.put("s1", List.of());
    linear.put("s2", List.of("s1"));
    linear.put("s3", List.of("s2"));
    linear.put("s4", List.of("s3"));
    m.put("linear", linear);
    Map<String, List<String>> diamond = new LinkedHashMap<>();
    diamond.put("start", List.of());
    diamond.put("left", List.of("start"));
    diamond.put("right", List.of("start"));
    diamond.put("join", List.of("left", "right"));
    m.put("diamond", diamond);
    Map<String, List<String>> tree = new LinkedHashMap<>();
    tree.put("root", List.of());
    tree.put("l", List.of("root"));
    tree.put("r", List.of("root"));
    tree.put("ll", List.of("l"));
    tree.put("lr", List.of("l"));
    tree.put("rl", List.of("r"));
    tree.put("rr", List.of("r"));
    tree.put("final", List.of("ll", "lr", "rl", "rr"));
    m.put("tree", tree);
    Map<String, List<String>> mixed = new LinkedHashMap<>();
    mixed.put("init", List.of());
    mixed.put("left", List.of("init"));
    mixed.put("right", List.of("init"));
    mixed.put("validate", List.of("left", "right"));
    mixed.put("transform", List.of("left"));
    mixed.put("analyze", List.of("right"));
    mixed.put("finalize", List.of("validate", "transform", "analyze"));
    m.put("mixed_dag", mixed);
    return m;
  }
}
