package io.tasker.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tasker worker}: a Java worker (DESIGN.md §8), until SIGINT/SIGTERM. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Run a Java worker until SIGINT/SIGTERM: register the templates, load the handlers"
          + " (ServiceLoader on the class path and --handlers-classpath) and run the steps of"
          + " the namespaces. Run an orchestrator too, somewhere (tasker server, or"
          + " --with-orchestrator): retries and the stale-task sweep need one.",
      "On SIGINT/SIGTERM it stops claiming and gives handlers in progress 10 s to finish."
    })
final class WorkerCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin Services.WorkerOptions options = new Services.WorkerOptions();

  @Option(names = "--with-orchestrator", description = "also run an orchestrator in this process")
  boolean withOrchestrator;

  @Override
  public Integer call() {
    return serve(spec, options, withOrchestrator, "worker");
  }

  static int serve(
      CommandLine.Model.CommandSpec spec,
      Services.WorkerOptions options,
      boolean withOrchestrator,
      String what) {
    try (Services services = Services.open(spec, 10)) {
      if (withOrchestrator) {
        services.startOrchestrator();
      }
      Services.WorkerStart w = services.startWorker(options);
      Services.LOG.info(
          "{} started: namespaces {}; handlers {}; orchestrator {}; database {} ({}); Ctrl-C stops",
          what,
          w.namespaces(),
          w.handlers(),
          withOrchestrator ? "in this process" : "not in this process",
          services.session().database().url().describe(),
          services.session().database().embedded() ? "embedded" : "DATABASE_URL");
      return services.runUntilSignal(what);
    }
  }
}
