package io.tasker.cli;

import io.tasker.bench.ReliabilityReport;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tasker bench reliability-report}: fills docs/reliability.md's generated tables from a
 * reliability run's figures ({@code ./scripts/tasker reliability} runs everything and calls it).
 */
@Command(
    name = "reliability-report",
    mixinStandardHelpOptions = true,
    description = {
      "Fills the generated tables of docs/reliability.md (between <!-- generated: NAME --> and"
          + " <!-- end generated -->) from the figures a reliability run recorded: the fault"
          + " drills and fuzz tests (*.jsonl, -Dtasker.figures.dir) and the soak (soak.json).",
      "./scripts/tasker reliability runs the tests, the soak and this command."
    })
final class BenchReliabilityReportCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--figures", required = true, description = "the run's figures directory")
  Path figures;

  @Option(
      names = "--page",
      defaultValue = "docs/reliability.md",
      description = "the page to fill (default ${DEFAULT-VALUE})")
  Path page;

  @Option(
      names = "--machine",
      defaultValue = "",
      description = "one line saying where and when the figures were taken")
  String machine;

  @Override
  public Integer call() {
    String where =
        machine.isBlank()
            ? "Run on " + Runtime.getRuntime().availableProcessors() + " CPUs."
            : machine;
    List<String> parts = ReliabilityReport.read(figures, where).renderInto(page);
    spec.commandLine().getOut().println("reliability-report: filled " + parts + " in " + page);
    return TaskerCli.OK;
  }
}
