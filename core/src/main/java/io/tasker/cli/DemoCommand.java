package io.tasker.cli;

import io.tasker.db.Database;
import io.tasker.db.DatabaseSettings;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tasker demo}: the first thing a newcomer runs. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Start the embedded database and run example workflows.")
final class DemoCommand implements java.util.concurrent.Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    long t0 = System.nanoTime();
    try (Database db = Database.open(DatabaseSettings.fromEnvironment())) {
      out.printf(
          "database ready at %s (%s, %d ms)%n",
          db.url().describe(),
          db.embedded() ? "embedded" : "DATABASE_URL",
          (System.nanoTime() - t0) / 1_000_000);
    }
    out.println("no workflows yet: the orchestration engine and example workflows come next.");
    return 0;
  }
}
