package io.tasker.bench;

import io.tasker.Json;
import io.tasker.TaskerException;
import io.tasker.audit.Audit;
import io.tasker.db.Database;
import io.tasker.db.DatabaseSettings;
import io.tasker.db.DatabaseUrl;
import io.tasker.orchestration.Engine;
import io.tasker.orchestration.TaskRequest;
import io.tasker.queue.QueueWaker;
import io.tasker.sql.Sql;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The soak test (issue 10): a fresh database, a cluster of separate processes ({@code
 * scripts/cluster}: orchestrators and workers of any language), tasks pushed at a steady number in
 * flight while a random process is SIGKILLed and restarted every few seconds; at the end {@link
 * Audit} proves every task final, no step completed twice, no result lost, audit trails well
 * formed.
 */
public final class Soak {
  /** What to run. {@code handlers}: extra {@code --handlers} arguments for {@code cluster up}. */
  public record Settings(
      int tasks,
      int inFlight,
      int orchestrators,
      String workers,
      List<String> handlers,
      Duration killEvery,
      Duration timeLimit,
      Path root) {}

  /** What happened. */
  public record Report(
      String database,
      int created,
      long seconds,
      int kills,
      double tasksPerSecond,
      Audit.Report audit,
      boolean passed) {}

  /** Threads creating tasks, as many as the soak's database pool has connections. */
  private static final int CREATORS = 8;

  private final Settings settings;
  private final PrintWriter progress;
  private final Path clusterDir;
  private final java.util.Random random = new java.util.Random();

  public Soak(Settings settings, PrintWriter progress) throws IOException {
    this.settings = settings;
    this.progress = progress;
    this.clusterDir = Files.createTempDirectory("tasker-soak-");
  }

  public Report run(DatabaseUrl server) throws IOException, InterruptedException {
    String name = "tasker_soak_" + System.currentTimeMillis() / 1000;
    DatabaseUrl url = server.withDatabase(name);
    exec(server.withDatabase("postgres"), "create database " + name);
    progress.printf("soak: database %s, cluster state in %s%n", url.describe(), clusterDir);
    try (Database db =
            Database.open(new DatabaseSettings(Optional.of(url.libpqUrl()), clusterDir, 8, true));
        QueueWaker waker = new QueueWaker(db::openDedicatedConnection)) {
      Engine engine = new Engine(db, waker);
      List<String> up =
          new ArrayList<>(
              List.of(
                  "up",
                  "--orchestrators",
                  Integer.toString(settings.orchestrators()),
                  "--workers",
                  settings.workers(),
                  "--templates",
                  settings.root().resolve("benchmarks/soak/templates").toString(),
                  "--port",
                  "0"));
      for (String h : settings.handlers()) {
        up.addAll(List.of("--handlers", h));
      }
      cluster(url, up.toArray(String[]::new));
      long t0 = System.nanoTime();
      AtomicInteger kills = new AtomicInteger();
      Thread chaos = Thread.ofVirtual().start(() -> chaos(url, kills));
      int created = 0;
      // one creating thread tops out near 1 / (creation latency): it, not the cluster, was the
      // bottleneck (2-3 tasks open of 200 wanted)
      var creators = java.util.concurrent.Executors.newFixedThreadPool(CREATORS);
      long deadline = t0 + settings.timeLimit().toNanos();
      long lastReport = 0;
      try {
        while (System.nanoTime() < deadline) {
          long open = openTasks(db);
          if (created >= settings.tasks() && open == 0) {
            break;
          }
          int batch = (int) Math.min(settings.inFlight() - open, settings.tasks() - created);
          if (batch > 0) {
            created += create(engine, creators, created, batch);
          }
          if (System.nanoTime() - lastReport > 10_000_000_000L) {
            lastReport = System.nanoTime();
            progress.printf(
                "soak: %d s, %d/%d tasks created, %d open, %d kills%n",
                (lastReport - t0) / 1_000_000_000L, created, settings.tasks(), open, kills.get());
            progress.flush();
          }
          Thread.sleep(50);
        }
      } finally {
        creators.shutdownNow();
        chaos.interrupt();
        chaos.join();
        // let the killed processes' replacements finish, then stop everything gracefully
        cluster(url, "down", "--grace", "20");
      }
      long seconds = Math.max(1, (System.nanoTime() - t0) / 1_000_000_000L);
      Audit.Report audit = Audit.run(db.dataSource());
      boolean passed =
          audit.clean()
              && created >= settings.tasks()
              && audit.count(Audit.Check.TASKS_NOT_FINAL)
                      + audit.count(Audit.Check.TASKS_NOT_COMPLETE)
                  == 0;
      return new Report(
          url.describe(), created, seconds, kills.get(), (double) created / seconds, audit, passed);
    }
  }

  /**
   * Creates tasks {@code first .. first + count - 1} (alternating linear and diamond) on the
   * creator threads; returns how many were created (a creation that fails while the database is
   * away is not retried: the next round tops up).
   */
  private static int create(
      Engine engine, java.util.concurrent.ExecutorService creators, int first, int count)
      throws InterruptedException {
    List<java.util.concurrent.Callable<Boolean>> jobs = new ArrayList<>();
    for (int id = first; id < first + count; id++) {
      int soakId = id;
      jobs.add(
          () -> {
            int n = java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 6) * 2;
            var ctx = Json.object().put("even_number", n).put("soak_id", soakId);
            engine.createTask(
                TaskRequest.of("soak", soakId % 2 == 0 ? "soak_linear" : "soak_diamond", ctx));
            return true;
          });
    }
    int ok = 0;
    for (var f : creators.invokeAll(jobs)) {
      try {
        ok += f.get() ? 1 : 0;
      } catch (java.util.concurrent.ExecutionException e) {
        // the database was briefly away (a restart drill) or refused: counted as not created
      }
    }
    return ok;
  }

  /** Every {@code killEvery}: SIGKILL a random cluster process, restart it two seconds later. */
  private void chaos(DatabaseUrl url, AtomicInteger kills) {
    try {
      while (true) {
        Thread.sleep(settings.killEvery());
        List<String> names;
        try (Stream<Path> s = Files.list(clusterDir)) {
          names =
              s.map(p -> p.getFileName().toString())
                  .filter(f -> f.endsWith(".pid"))
                  .map(f -> f.substring(0, f.length() - 4))
                  .sorted()
                  .toList();
        }
        if (names.isEmpty()) {
          continue;
        }
        String victim = names.get(random.nextInt(names.size()));
        cluster(url, "kill", victim);
        kills.incrementAndGet();
        progress.printf("soak: killed %s (SIGKILL)%n", victim);
        Thread.sleep(2000);
        cluster(url, "restart", victim);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      progress.println("soak: chaos stopped: " + e.getMessage());
    }
  }

  private void cluster(DatabaseUrl url, String... args) throws IOException, InterruptedException {
    var script = new ClusterScript(settings.root(), clusterDir, url);
    int exit = script.run(args);
    if (exit != 0 && args[0].equals("up")) {
      throw new TaskerException(
          "soak_failed", "scripts/cluster up failed (exit " + exit + "); see " + script.log());
    }
  }

  private static long openTasks(Database db) {
    try (Connection c = db.dataSource().getConnection()) {
      return Sql.queryOne(c, "audit/tasks_not_final", rs -> rs.getLong(1)).orElse(0L);
    } catch (SQLException e) {
      return Long.MAX_VALUE; // the database is briefly away: create nothing this round
    }
  }

  private static void exec(DatabaseUrl admin, String sql) {
    try (Connection c = Database.connect(admin);
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new TaskerException("soak_failed", sql + ": " + e.getMessage(), e);
    }
  }
}
