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
    description = "Run benchmarks against the configured database and print the numbers.")
final class BenchCommand {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

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
