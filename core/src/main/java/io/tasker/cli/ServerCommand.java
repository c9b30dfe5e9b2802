package io.tasker.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tasker server}: the orchestrator (the REST API comes later). */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Run an orchestrator until SIGINT/SIGTERM: it processes step results and task requests"
          + " sent to orchestration (retry timers among them) and sweeps stale tasks. Workers"
          + " run elsewhere (tasker worker).",
      "The REST API is not available yet; --port is accepted for forward compatibility."
    })
final class ServerCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", paramLabel = "PORT", description = "REST API port (not available yet)")
  Integer port;

  @Override
  public Integer call() {
    if (port != null) {
      spec.commandLine()
          .getOut()
          .printf("REST API not available yet (--port %d ignored); orchestration only%n", port);
      spec.commandLine().getOut().flush();
    }
    try (Services services = Services.open(spec, 10)) {
      services.startOrchestrator();
      Services.LOG.info(
          "server started: orchestrator on {} ({}); Ctrl-C stops",
          services.session().database().url().describe(),
          services.session().database().embedded() ? "embedded" : "DATABASE_URL");
      return services.runUntilSignal("server");
    }
  }
}
