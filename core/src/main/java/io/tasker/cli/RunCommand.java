package io.tasker.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tasker run}: orchestrator and Java worker in one process, for development. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run an orchestrator and a Java worker in this process until SIGINT/SIGTERM (for"
          + " development): everything needed to run tasks of the given templates.",
      "Same flags as 'tasker worker'."
    })
final class RunCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin Services.WorkerOptions options = new Services.WorkerOptions();

  @Override
  public Integer call() {
    return WorkerCommand.serve(spec, options, true, "run");
  }
}
