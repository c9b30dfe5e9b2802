package io.tasker.cli;

import io.tasker.Json;
import io.tasker.TaskerException;
import io.tasker.audit.Audit;
import io.tasker.bench.Soak;
import io.tasker.db.DatabaseUrl;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tasker bench soak}: load and random SIGKILLs on a local cluster, then an audit. */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description = {
      "Soak test: a fresh database, a cluster of separate processes (scripts/cluster), tasks kept",
      "in flight while a random process is SIGKILLed and restarted every --kill-every seconds;",
      "then `tasker audit` over everything: every task complete, no step completed twice, no",
      "result lost, audit trails chained. Exit 0 when it all holds. Bounded by --minutes."
    })
final class BenchSoakCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--tasks",
      defaultValue = "10000",
      description = "tasks (default ${DEFAULT-VALUE})")
  int tasks;

  @Option(
      names = "--in-flight",
      defaultValue = "200",
      description = "tasks open at once (default ${DEFAULT-VALUE})")
  int inFlight;

  @Option(
      names = "--orchestrators",
      defaultValue = "2",
      description = "orchestrator processes (default ${DEFAULT-VALUE})")
  int orchestrators;

  @Option(
      names = "--workers",
      defaultValue = "java:3",
      description = "worker processes, language:count,... (default ${DEFAULT-VALUE})")
  String workers;

  @Option(
      names = "--handlers",
      description = "LANG=DIR handlers for a non-Java language (repeatable; scripts/cluster)")
  List<String> handlers = List.of();

  @Option(
      names = "--kill-every",
      defaultValue = "15",
      description = "seconds between SIGKILLs (default ${DEFAULT-VALUE})")
  int killEvery;

  @Option(
      names = "--minutes",
      defaultValue = "30",
      description = "time limit (default ${DEFAULT-VALUE})")
  int minutes;

  @Option(names = "--json", description = "print only the JSON document")
  boolean json;

  @Override
  public Integer call() throws Exception {
    String root = System.getenv("TASKER_ROOT");
    if (root == null || !Files.isExecutable(Path.of(root, "scripts", "cluster"))) {
      throw new TaskerException(
          "usage", "bench soak runs scripts/cluster: start it through ./scripts/tasker");
    }
    DatabaseUrl server;
    try (Session s = Session.open(spec, Session.SHORT_COMMAND_POOL)) {
      server = s.database().url();
    }
    PrintWriter out = spec.commandLine().getOut();
    var settings =
        new Soak.Settings(
            tasks,
            inFlight,
            orchestrators,
            workers,
            handlers,
            Duration.ofSeconds(killEvery),
            Duration.ofMinutes(minutes),
            Path.of(root));
    Soak.Report r = new Soak(settings, json ? new PrintWriter(System.err, true) : out).run(server);
    var doc =
        Json.object()
            .put("benchmark", "soak")
            .put("passed", r.passed())
            .put("database", r.database())
            .put("tasks_created", r.created())
            .put("seconds", r.seconds())
            .put("tasks_per_second", r.tasksPerSecond())
            .put("processes_killed", r.kills())
            .put("orchestrators", orchestrators)
            .put("workers", workers)
            .put("steps", r.audit().steps())
            .put("transitions", r.audit().transitions());
    var checks = doc.putObject("audit");
    r.audit().findings().forEach(f -> checks.put(f.check().key(), f.count()));
    if (!json) {
      out.printf(
          "soak: %d tasks (%d steps) in %d s (%.1f tasks/s) on %d orchestrators + %s, %d"
              + " processes SIGKILLed%n",
          r.created(),
          r.audit().steps(),
          r.seconds(),
          r.tasksPerSecond(),
          orchestrators,
          workers,
          r.kills());
      for (Audit.Finding f : r.audit().findings()) {
        out.printf("  %-40s %d%n", f.check().description(), f.count());
      }
      out.println(r.passed() ? "soak: PASSED" : "soak: FAILED");
    }
    out.println(doc);
    return r.passed() ? TaskerCli.OK : TaskerCli.FAILED;
  }
}
