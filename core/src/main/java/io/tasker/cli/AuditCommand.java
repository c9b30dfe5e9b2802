package io.tasker.cli;

import io.tasker.Json;
import io.tasker.audit.Audit;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tasker audit}: the engine's invariants over the whole database. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Check the engine's invariants over the whole database: no step completed twice, no",
      "completed step without its result, no complete task with an open step, audit trails",
      "chained without gaps. Exit 0 when they hold (and the --expect-* conditions), else 1."
    })
final class AuditCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--expect-final", description = "also fail while a task is not final")
  boolean expectFinal;

  @Option(names = "--expect-complete", description = "also fail when a task did not complete")
  boolean expectComplete;

  @Option(names = "--json", description = "print one JSON document")
  boolean json;

  @Override
  public Integer call() {
    Audit.Report report;
    try (Session s = Session.open(spec, Session.SHORT_COMMAND_POOL)) {
      report = Audit.run(s.database().dataSource());
    }
    boolean ok =
        report.clean()
            && !(expectFinal && report.count(Audit.Check.TASKS_NOT_FINAL) > 0)
            && !(expectComplete
                && report.count(Audit.Check.TASKS_NOT_FINAL)
                        + report.count(Audit.Check.TASKS_NOT_COMPLETE)
                    > 0);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      var doc =
          Json.object()
              .put("ok", ok)
              .put("tasks", report.tasks())
              .put("steps", report.steps())
              .put("transitions", report.transitions());
      var checks = doc.putObject("checks");
      report.findings().forEach(f -> checks.put(f.check().key(), f.count()));
      Format.json(out, doc);
    } else {
      out.printf(
          "audited %d tasks, %d steps, %d transitions%n",
          report.tasks(), report.steps(), report.transitions());
      Table t = new Table("CHECK", "COUNT", "");
      for (Audit.Finding f : report.findings()) {
        t.row(
            f.check().description(),
            Long.toString(f.count()),
            f.violated() ? "VIOLATED" : f.check().invariant() ? "ok" : "");
      }
      t.print(out);
      out.println(ok ? "audit: ok" : "audit: FAILED");
    }
    return ok ? TaskerCli.OK : TaskerCli.FAILED;
  }
}
