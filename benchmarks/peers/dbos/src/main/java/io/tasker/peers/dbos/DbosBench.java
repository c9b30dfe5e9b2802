package io.tasker.peers.dbos;

import dev.dbos.transact.DBOS;
import dev.dbos.transact.StartWorkflowOptions;
import dev.dbos.transact.config.DBOSConfig;
import dev.dbos.transact.workflow.Queue;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * DBOS Transact Java side of {@code tasker bench compare}: P50/P95 end-to-end latency of no-op
 * linear and diamond workflows one at a time, then sustained steps/s with a fixed number in flight,
 * and commits per step ({@code pg_stat_database.xact_commit} of the database). Prints one JSON line
 * on stdout; progress and errors go to stderr.
 *
 * <p>Settings follow DBOS's advice for low latency: workflows are enqueued on a queue polled every
 * 10 ms (the default is 1 s) and LISTEN/NOTIFY wake-ups are on (the default, set explicitly here).
 * Completion is seen by {@link CompletionWatcher} (see there why not by the handle).
 *
 * <p>Arguments: {@code --tasks N --warmup N --throughput-tasks N --in-flight N}; the database is
 * {@code DATABASE_URL} ({@code postgres://user:password@host:port/db}).
 */
public final class DbosBench {
  static final Duration POLLING_INTERVAL = Duration.ofMillis(10);
  static final Map<String, Integer> STEPS = Map.of("linear", 4, "diamond", 4);

  record Options(String databaseUrl, int tasks, int warmup, int throughputTasks, int inFlight) {}

  record Jdbc(String url, String user, String password) {}

  private DbosBench() {}

  public static void main(String[] args) {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    try {
      System.out.println(run(parse(args)));
    } catch (IllegalArgumentException e) {
      System.err.println("dbos bench: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      System.err.println("dbos bench failed: " + e);
      e.printStackTrace(System.err);
      System.exit(1);
    }
  }

  static String run(Options o) throws Exception {
    Jdbc jdbc = jdbc(o.databaseUrl());
    Queue queue = new Queue("bench").withPollingInterval(POLLING_INTERVAL);
    DBOSConfig config =
        DBOSConfig.defaults("tasker-bench")
            .withDatabaseUrl(jdbc.url())
            .withDbUser(jdbc.user())
            .withDbPassword(jdbc.password())
            .withUseListenNotify(true);
    List<String> rows = new ArrayList<>();
    try (DBOS dbos = new DBOS(config)) {
      dbos.registerQueue(queue);
      BenchWorkflowsImpl impl = new BenchWorkflowsImpl(dbos);
      BenchWorkflows proxy = dbos.registerProxy(BenchWorkflows.class, impl);
      impl.setSelf(proxy);
      dbos.launch();
      try (CompletionWatcher watcher = new CompletionWatcher(jdbc);
          Connection stats =
              DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password())) {
        Map<String, Runnable> shapes = new LinkedHashMap<>();
        shapes.put(
            "linear",
            () ->
                enqueueAndWait(
                    watcher, id -> dbos.startWorkflow(() -> proxy.linear(), options(id, queue))));
        shapes.put(
            "diamond",
            () ->
                enqueueAndWait(
                    watcher, id -> dbos.startWorkflow(() -> proxy.diamond(), options(id, queue))));
        for (var shape : shapes.entrySet()) {
          rows.add(measure(shape.getKey(), shape.getValue(), stats, o));
        }
      }
    }
    return String.format(
        Locale.ROOT,
        "{\"engine\":\"dbos\",\"version\":\"%s\",\"runtime\":\"java %s\","
            + "\"settings\":{\"queue_polling_interval_ms\":%d,\"use_listen_notify\":true},"
            + "\"results\":[%s]}",
        DBOS.version(),
        Runtime.version().feature(),
        POLLING_INTERVAL.toMillis(),
        String.join(",", rows));
  }

  /** Latency, then throughput and commits per step, of one shape; its JSON object. */
  private static String measure(String name, Runnable workflow, Connection stats, Options o)
      throws SQLException, InterruptedException {
    System.err.printf("dbos: %s latency (%d after %d warm-up)%n", name, o.tasks(), o.warmup());
    latency(workflow, o.warmup());
    double[] lat = latency(workflow, o.tasks());
    System.err.printf(
        "dbos: %s throughput (%d, %d in flight)%n", name, o.throughputTasks(), o.inFlight());
    long c0 = commits(stats);
    double seconds = throughput(workflow, o.throughputTasks(), o.inFlight());
    long c1 = commits(stats);
    int steps = STEPS.get(name);
    return String.format(
        Locale.ROOT,
        "{\"shape\":\"%s\",\"steps\":%d,\"latency_tasks\":%d,\"p50_ms\":%.2f,"
            + "\"p95_ms\":%.2f,\"p99_ms\":%.2f,\"throughput_tasks\":%d,\"in_flight\":%d,"
            + "\"steps_per_s\":%.2f,\"commits_per_step\":%.2f}",
        name,
        steps,
        o.tasks(),
        lat[0],
        lat[1],
        lat[2],
        o.throughputTasks(),
        o.inFlight(),
        o.throughputTasks() * steps / seconds,
        (double) (c1 - c0) / (o.throughputTasks() * steps));
  }

  private static StartWorkflowOptions options(String id, Queue queue) {
    return new StartWorkflowOptions(id).withQueue(queue);
  }

  /** Enqueues a workflow under a fresh id and waits until it has succeeded. */
  private static String enqueueAndWait(
      CompletionWatcher watcher, java.util.function.Consumer<String> enqueue) {
    String id = UUID.randomUUID().toString();
    var done = watcher.watch(id);
    enqueue.accept(id);
    try {
      done.get(60, TimeUnit.SECONDS);
      return id;
    } catch (TimeoutException e) {
      throw new IllegalStateException("workflow " + id + " did not finish within 60 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    }
  }

  /** Workflows one at a time; P50, P95, P99 in milliseconds. */
  private static double[] latency(Runnable workflow, int count) {
    if (count == 0) {
      return new double[3];
    }
    long[] nanos = new long[count];
    for (int i = 0; i < count; i++) {
      long t0 = System.nanoTime();
      workflow.run();
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    return new double[] {ms(nanos, 0.5), ms(nanos, 0.95), ms(nanos, 0.99)};
  }

  /** {@code inFlight} callers each run workflows until {@code total} have completed; seconds. */
  private static double throughput(Runnable workflow, int total, int inFlight)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    List<Thread> lanes = new ArrayList<>();
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    long t0 = System.nanoTime();
    for (int i = 0; i < Math.min(inFlight, total); i++) {
      lanes.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      while (next.getAndIncrement() < total) {
                        workflow.run();
                      }
                    } catch (Throwable e) {
                      errors.add(e);
                    }
                  }));
    }
    for (Thread t : lanes) {
      t.join();
    }
    if (!errors.isEmpty()) {
      throw new IllegalStateException(
          "throughput run failed: " + errors.getFirst(), errors.getFirst());
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * Committed transactions of this database. Backends publish their counters at most once a second,
   * so wait that long first: the reading then includes every backend's.
   */
  private static long commits(Connection c) throws SQLException, InterruptedException {
    Thread.sleep(1100);
    try (var st = c.createStatement()) {
      st.execute("select pg_stat_force_next_flush()");
      try (var rs =
          st.executeQuery(
              "select xact_commit from pg_stat_database where datname = current_database()")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static double ms(long[] sorted, double p) {
    int idx = Math.clamp((int) Math.ceil(p * sorted.length) - 1, 0, sorted.length - 1);
    return sorted[idx] / 1e6;
  }

  static Options parse(String[] args) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("--tasks", "200");
    values.put("--warmup", "50");
    values.put("--throughput-tasks", "1000");
    values.put("--in-flight", "32");
    for (int i = 0; i < args.length; i++) {
      if (!values.containsKey(args[i]) || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "unknown option or missing value: '"
                + args[i]
                + "' (options: "
                + values.keySet()
                + ")");
      }
      values.put(args[i], args[++i]);
    }
    String url = System.getenv("DATABASE_URL");
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("DATABASE_URL must name the database (postgres://...)");
    }
    return new Options(
        url,
        number(values, "--tasks", 1),
        number(values, "--warmup", 0),
        number(values, "--throughput-tasks", 1),
        number(values, "--in-flight", 1));
  }

  private static int number(Map<String, String> values, String name, int min) {
    try {
      int n = Integer.parseInt(values.get(name));
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        name + " must be an integer >= " + min + " (got '" + values.get(name) + "')");
  }

  /** postgres://user:password@host:port/db → JDBC URL and credentials. */
  static Jdbc jdbc(String url) {
    URI uri = URI.create(url.replaceFirst("^postgresql://", "postgres://"));
    if (!"postgres".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("DATABASE_URL must be postgres://user@host:port/db");
    }
    String user = "postgres";
    String password = ""; // DBOS requires one; trust and peer authentication ignore it
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
      password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
    }
    int port = uri.getPort() == -1 ? 5432 : uri.getPort();
    return new Jdbc(
        "jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getPath(), user, password);
  }
}
