package io.tasker.cli;

import io.tasker.bench.QueueBenchmark;
import io.tasker.db.Database;
import io.tasker.db.DatabaseSettings;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tasker bench ...}: benchmarks that print numbers. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    subcommands = {
      BenchCompareCommand.class,
      BenchSoakCommand.class,
      BenchScaleCommand.class,
      BenchReliabilityReportCommand.class
    },
    description = "Run benchmarks against the configured database and print the numbers.")
final class BenchCommand {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Command(
      name = "e2e",
      mixinStandardHelpOptions = true,
      description =
          "End to end with no-op Java handlers (orchestrator + worker in this process): creation and"
              + " creation-to-complete P50/P95/P99 per shape, then sustained steps/s.")
  int e2e(
      @CommandLine.Option(
              names = "--tasks",
              defaultValue = "200",
              description = "tasks per shape for latency (default ${DEFAULT-VALUE})")
          int tasks,
      @CommandLine.Option(
              names = "--throughput-tasks",
              defaultValue = "1000",
              description = "tasks for the throughput run (default ${DEFAULT-VALUE})")
          int throughputTasks,
      @CommandLine.Option(
              names = "--in-flight",
              defaultValue = "32",
              description = "tasks in flight for the throughput run (default ${DEFAULT-VALUE})")
          int inFlight,
      @CommandLine.Option(names = "--json", description = "print only the JSON document")
          boolean json) {
    PrintWriter out = spec.commandLine().getOut();
    try (Database db = Database.open(DatabaseSettings.fromEnvironment().withPoolSize(24))) {
      var report =
          io.tasker.bench.E2eBenchmark.withEngine(
              db, 16, bench -> bench.run(tasks, inFlight, throughputTasks));
      var rows = report.latency();
      var thr = report.throughput();
      if (!json) {
        out.printf(
            "end-to-end benchmark on %s (%s), no-op Java handlers, all-in-one%n",
            db.url().describe(), db.embedded() ? "embedded" : "DATABASE_URL");
        out.printf(
            "%-10s %5s %6s %10s %10s %10s %10s %10s%n",
            "shape", "steps", "tasks", "create p50", "create p95", "e2e p50", "e2e p95", "e2e p99");
        for (var r : rows) {
          out.printf(
              "%-10s %5d %6d %8.2fms %8.2fms %8.2fms %8.2fms %8.2fms%n",
              r.shape(),
              r.steps(),
              r.tasks(),
              r.createP50Ms(),
              r.createP95Ms(),
              r.p50Ms(),
              r.p95Ms(),
              r.p99Ms());
        }
        for (var t : thr) {
          out.printf(
              "throughput %-10s %d in flight, %d tasks: %.0f steps/s (%.0f tasks/s), %.2f commits"
                  + " per step%n",
              t.shape(),
              t.inFlight(),
              t.tasks(),
              t.stepsPerSecond(),
              t.tasksPerSecond(),
              t.commitsPerStep());
        }
      }
      var doc = io.tasker.Json.object().put("benchmark", "e2e");
      doc.set("latency", io.tasker.Json.MAPPER.valueToTree(rows));
      doc.set("throughput", io.tasker.Json.MAPPER.valueToTree(thr));
      out.println(doc);
    }
    return 0;
  }

  @Command(
      name = "api",
      mixinStandardHelpOptions = true,
      description =
          "REST API: POST /v1/tasks over loopback HTTP, P50/P95/P99 and requests/s for 1, 8 and"
              + " 32 concurrent clients (server in this process, creation only).")
  int api(
      @CommandLine.Option(
              names = "--requests",
              defaultValue = "2000",
              description = "requests per concurrency level (default ${DEFAULT-VALUE})")
          int requests,
      @CommandLine.Option(
              names = "--clients",
              split = ",",
              defaultValue = "1,8,32",
              description = "concurrent clients per level (default ${DEFAULT-VALUE})")
          List<Integer> clients,
      @CommandLine.Option(names = "--json", description = "print only the JSON document")
          boolean json)
      throws Exception {
    if (requests < 1 || clients.stream().anyMatch(c -> c < 1)) {
      throw Args.usage("--requests and --clients must be positive");
    }
    PrintWriter out = spec.commandLine().getOut();
    int pool = clients.stream().mapToInt(i -> i).max().orElse(1) + 4;
    try (Database db = Database.open(DatabaseSettings.fromEnvironment().withPoolSize(pool))) {
      var results = new io.tasker.bench.ApiBenchmark(db).run(clients, requests);
      if (!json) {
        out.printf(
            "REST API benchmark (POST /v1/tasks) on %s (%s)%n",
            db.url().describe(), db.embedded() ? "embedded" : "DATABASE_URL");
        out.printf(
            "%-7s %8s %9s %10s %10s %10s %10s%n",
            "path", "clients", "requests", "p50", "p95", "p99", "req/s");
        for (var r : results) {
          out.printf(
              "%-7s %8d %9d %8.2fms %8.2fms %8.2fms %10.0f%n",
              r.path(),
              r.clients(),
              r.requests(),
              r.p50Ms(),
              r.p95Ms(),
              r.p99Ms(),
              r.requestsPerSecond());
        }
        out.println(
            "(direct: the same creation and task document in-process, without HTTP: the floor"
                + " the REST layer adds to)");
      }
      var doc = io.tasker.Json.object().put("benchmark", "api");
      doc.set("results", io.tasker.Json.MAPPER.valueToTree(results));
      out.println(doc);
    }
    return 0;
  }

  @Command(
      name = "queue",
      mixinStandardHelpOptions = true,
      description =
          "Queue round trip (send, NOTIFY wake-up, read, delete) P50/P95/P99 and messages/s for"
              + " 1 and 4 consumers.")
  int queue(
      @CommandLine.Option(
              names = "--round-trips",
              defaultValue = "2000",
              description = "round trips measured per consumer count (default ${DEFAULT-VALUE})")
          int roundTrips,
      @CommandLine.Option(
              names = "--messages",
              defaultValue = "20000",
              description = "messages for the throughput run (default ${DEFAULT-VALUE})")
          int messages,
      @CommandLine.Option(
              names = "--consumers",
              split = ",",
              defaultValue = "1,4",
              description = "consumer counts to run (default ${DEFAULT-VALUE})")
          List<Integer> consumers,
      @CommandLine.Option(names = "--json", description = "print only the JSON document")
          boolean json)
      throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<QueueBenchmark.Result> results = new ArrayList<>();
    try (Database db =
        Database.open(
            DatabaseSettings.fromEnvironment()
                .withPoolSize(consumers.stream().mapToInt(i -> i).max().orElse(1) + 4))) {
      QueueBenchmark bench = new QueueBenchmark(db);
      // warm-up: JIT, prepared statements, pool
      bench.run(1, Math.min(300, roundTrips), Math.min(2000, messages));
      for (int c : consumers) {
        results.add(bench.run(c, roundTrips, messages));
      }
      if (!json) {
        out.printf(
            "queue benchmark on %s (%s)%n",
            db.url().describe(), db.embedded() ? "embedded" : "DATABASE_URL");
        out.printf(
            "%-10s %10s %10s %10s %12s %14s%n",
            "consumers", "p50 µs", "p95 µs", "p99 µs", "round trips/s", "messages/s");
        for (var r : results) {
          out.printf(
              "%-10d %10.0f %10.0f %10.0f %12.0f %14.0f%n",
              r.consumers(),
              r.p50Micros(),
              r.p95Micros(),
              r.p99Micros(),
              r.roundTripsPerSecond(),
              r.messagesPerSecond());
        }
      }
    }
    StringBuilder sb = new StringBuilder("{\"benchmark\":\"queue\",\"results\":[");
    for (int i = 0; i < results.size(); i++) {
      var r = results.get(i);
      sb.append(i == 0 ? "" : ",")
          .append(
              String.format(
                  java.util.Locale.ROOT,
                  "{\"consumers\":%d,\"round_trips\":%d,\"p50_us\":%.1f,\"p95_us\":%.1f,\"p99_us\":%.1f,"
                      + "\"round_trips_per_s\":%.1f,\"throughput_messages\":%d,\"messages_per_s\":%.1f}",
                  r.consumers(),
                  r.roundTrips(),
                  r.p50Micros(),
                  r.p95Micros(),
                  r.p99Micros(),
                  r.roundTripsPerSecond(),
                  r.throughputMessages(),
                  r.messagesPerSecond()));
    }
    out.println(sb.append("]}"));
    return 0;
  }
}
