package io.tasker.cli;

import io.tasker.api.ApiConfig;
import io.tasker.api.ApiServer;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tasker server}: the orchestrator plus the REST API. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Run an orchestrator and the REST API until SIGINT/SIGTERM: the orchestrator processes"
          + " step results and task requests (retry timers among them) and sweeps stale tasks;"
          + " the API serves /v1/tasks, /v1/templates, /v1/dlq, /health and /metrics"
          + " (docs/api.md). Workers run elsewhere (tasker worker).",
      "Prints the API's URL on the first line. Authentication and limits come from the"
          + " environment (TASKER_AUTH_ENABLED, TASKER_API_KEYS, TASKER_JWT_*, TASKER_API_*;"
          + " docs/operations.md)."
    })
final class ServerCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "REST API port (default: $TASKER_API_PORT, else 8080; 0 picks a free port)")
  Integer port;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description =
          "address to listen on (default: $TASKER_API_HOST, else 127.0.0.1; 0.0.0.0 for all)")
  String host;

  @Override
  public Integer call() {
    ApiConfig config = ApiConfig.fromEnvironment(System.getenv());
    if (port != null) {
      if (port < 0 || port > 65535) {
        throw Args.usage("--port must be 0..65535 (got " + port + ")");
      }
      config = config.withPort(port);
    }
    if (host != null) {
      config = config.withHost(host);
    }
    try (Services services = Services.open(spec, 10)) {
      services.startOrchestrator();
      ApiServer api = services.startApi(config);
      var out = spec.commandLine().getOut();
      out.println("tasker server listening on " + api.url());
      out.flush();
      Services.LOG.info(
          "server started: REST API on {}, orchestrator on {} ({}); Ctrl-C stops",
          api.url(),
          services.session().database().url().describe(),
          services.session().database().embedded() ? "embedded" : "DATABASE_URL");
      return services.runUntilSignal("server");
    }
  }
}
