package io.tasker.bench;

import io.tasker.BuildInfo;
import io.tasker.TaskerException;
import io.tasker.db.Database;
import io.tasker.db.DatabaseSettings;
import io.tasker.db.DatabaseUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Tasker with no-op handlers in another language: the orchestrator in this process, one worker
 * process of that language ({@code scripts/cluster up --orchestrators 0 --workers LANG:1}) running
 * the handler in {@code benchmarks/ffi/LANG/} through libtasker. Measured exactly as {@link
 * TaskerJavaEngine}, so the two rows differ only by where the handlers run.
 */
public final class TaskerFfiEngine implements ComparedEngine {
  /** A worker language: its {@code scripts/cluster} name and its runtime's display name. */
  public enum Language {
    PYTHON("python", "Python", "python", "CPython"),
    RUBY("ruby", "Ruby", "ruby", "CRuby"),
    TYPESCRIPT("typescript", "TypeScript", "ts", "Node.js");

    final String dir;
    final String displayName;
    final String clusterName;
    final String runtime;

    Language(String dir, String displayName, String clusterName, String runtime) {
      this.dir = dir;
      this.displayName = displayName;
      this.clusterName = clusterName;
      this.runtime = runtime;
    }

    /** The name users type ({@code --tasker-ffi python}). */
    public String label() {
      return dir;
    }
  }

  private final Language language;
  private final Path root;
  private final Path taskerHome;

  /** {@code root}: the repository (scripts/cluster, benchmarks/ffi, the built shims). */
  public TaskerFfiEngine(Language language, Path root, Path taskerHome) {
    this.language = language;
    this.root = root;
    this.taskerHome = taskerHome;
  }

  @Override
  public String name() {
    return "tasker (" + language.displayName + " handlers)";
  }

  @Override
  public String label() {
    return "tasker_" + language.label();
  }

  @Override
  public EngineOutcome run(DatabaseUrl database, CompareWorkload w) {
    Path handlers = root.resolve("benchmarks/ffi").resolve(language.dir);
    if (!Files.isDirectory(handlers)) {
      return new EngineOutcome.Failed(name(), "no handlers at " + handlers);
    }
    DatabaseSettings settings =
        new DatabaseSettings(
            Optional.of(database.libpqUrl()), taskerHome, TaskerJavaEngine.CONCURRENCY + 8, true);
    Path state = null;
    try (Database db = Database.open(settings)) {
      state = Files.createTempDirectory("tasker-bench-" + language.dir + "-");
      Path templates = writeTemplates(state.resolve("templates"));
      Path cluster = state;
      List<EngineOutcome.ShapeResult> rows =
          E2eBenchmark.withEngine(
              db,
              TaskerJavaEngine.CONCURRENCY,
              false,
              bench -> {
                cluster(
                    database,
                    cluster,
                    "up",
                    "--orchestrators",
                    "0",
                    "--workers",
                    language.clusterName + ":1",
                    "--templates",
                    templates.toString(),
                    "--handlers",
                    language.clusterName + "=" + handlers,
                    "--concurrency",
                    Integer.toString(TaskerJavaEngine.CONCURRENCY));
                try {
                  ready(bench, cluster);
                  return TaskerJavaEngine.measure(bench, new CommitCounter(database), w);
                } finally {
                  cluster(database, cluster, "down", "--grace", "10");
                }
              });
      Map<String, Object> shown = new LinkedHashMap<>();
      shown.put("orchestrator_concurrency", TaskerJavaEngine.CONCURRENCY);
      shown.put("worker", "one " + language.runtime + " process, concurrency 16, over libtasker");
      shown.put("wake_up", "LISTEN/NOTIFY (worker in another process)");
      return new EngineOutcome.Measured(
          name(), BuildInfo.version(), language.runtime.toLowerCase(Locale.ROOT), shown, rows);
    } catch (TaskerException | IllegalStateException | UncheckedIOException e) {
      return new EngineOutcome.Failed(name(), e.getMessage());
    } catch (IOException e) {
      return new EngineOutcome.Failed(name(), "cannot prepare the worker: " + e.getMessage());
    } finally {
      deleteQuietly(state);
    }
  }

  /**
   * The worker process needs its runtime to boot a JVM through libtasker: one task completing (up
   * to a minute) shows it serves; if it does not, the failure carries the end of its log.
   */
  private void ready(E2eBenchmark bench, Path cluster) {
    try {
      bench.latency("linear", 1);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          "the " + language.label() + " worker did not serve a task: " + logTail(cluster), e);
    }
  }

  private String logTail(Path cluster) {
    Path log = cluster.resolve("logs/worker-" + language.clusterName + "-1.log");
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  private static Path writeTemplates(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String shape : CompareWorkload.SHAPES) {
      Files.writeString(dir.resolve(shape + ".yaml"), E2eBenchmark.templateYaml(shape));
    }
    return dir;
  }

  private void cluster(DatabaseUrl database, Path state, String... args) {
    var script = new ClusterScript(root, state, database);
    try {
      Process p = script.start(args);
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("scripts/cluster " + args[0] + " did not finish in 5 min");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "scripts/cluster "
                + args[0]
                + " failed (exit "
                + p.exitValue()
                + "): "
                + Files.readString(script.log()).strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running scripts/cluster " + args[0], e);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
