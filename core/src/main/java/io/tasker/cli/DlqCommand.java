package io.tasker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.client.ClientException;
import io.tasker.client.DlqFilter;
import io.tasker.client.DlqUpdate;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tasker dlq list|show|resolve|stats}: the investigations of stuck tasks. */
@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    description = {
      "The dead letter queue: tasks stuck past their template's lifecycle limits, moved to error",
      "with an investigation record (a snapshot of the task). See docs/operations.md."
    })
final class DlqCommand {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List DLQ entries, newest first.")
  int list(
      @Option(
              names = "--status",
              paramLabel = "STATUS",
              description =
                  "pending (default), manually_resolved, permanently_failed, cancelled, or all")
          String status,
      @Option(
              names = "--limit",
              defaultValue = "50",
              description = "at most this many (default ${DEFAULT-VALUE})")
          int limit,
      @Option(names = "--offset", defaultValue = "0", description = "skip this many") int offset,
      @Option(names = "--json", description = "print one JSON document") boolean json) {
    String st = status == null ? "pending" : status;
    try (ClientSession cs = ClientSession.open(spec, false)) {
      JsonNode doc =
          cs.client()
              .listDlq(
                  new DlqFilter(
                      st.equals("all") ? Optional.empty() : Optional.of(st), limit, offset));
      JsonNode rows = doc.path("entries");
      if (json) {
        Format.json(out(), doc);
        return TaskerCli.OK;
      }
      if (rows.isEmpty()) {
        out().println("no " + (st.equals("all") ? "" : st + " ") + "DLQ entries");
        return TaskerCli.OK;
      }
      Table t = new Table("ENTRY", "TASK", "TEMPLATE", "STUCK IN", "REASON", "SINCE", "STATUS");
      for (JsonNode r : rows) {
        t.row(
            r.path("dlq_entry_uuid").asText(),
            r.path("task_uuid").asText(),
            r.path("namespace").asText()
                + "/"
                + r.path("name").asText()
                + "/"
                + r.path("version").asText(),
            r.path("original_state").asText(),
            r.path("dlq_reason").asText(),
            r.path("dlq_timestamp").asText(),
            r.path("resolution_status").asText());
      }
      t.print(out());
    }
    return TaskerCli.OK;
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Show one entry with its task snapshot.")
  int show(
      @Parameters(paramLabel = "ENTRY", description = "DLQ entry uuid") String entry,
      @Option(names = "--json", description = "print one JSON document") boolean json) {
    try (ClientSession cs = ClientSession.open(spec, false)) {
      JsonNode e = cs.client().getDlqEntry(Args.uuid(entry, "ENTRY"));
      if (json) {
        Format.json(out(), e);
      } else {
        out()
            .printf(
                "entry %s: task %s stuck in %s (%s) since %s%nstatus: %s%s%n",
                e.path("dlq_entry_uuid").asText(),
                e.path("task_uuid").asText(),
                e.path("original_state").asText(),
                e.path("dlq_reason").asText(),
                e.path("dlq_timestamp").asText(),
                e.path("resolution_status").asText(),
                e.path("resolution_notes").isTextual()
                    ? " (" + e.path("resolution_notes").asText() + ")"
                    : "");
        out().println("task at the time:");
        TaskView.steps(out(), e.path("task_snapshot"), true);
      }
    }
    return TaskerCli.OK;
  }

  @Command(
      name = "resolve",
      mixinStandardHelpOptions = true,
      description =
          "Close an open investigation (the task itself is repaired with 'tasker step ...').")
  int resolve(
      @Parameters(paramLabel = "ENTRY", description = "DLQ entry uuid") String entry,
      @Option(
              names = "--status",
              defaultValue = "manually_resolved",
              description = "manually_resolved (default), permanently_failed or cancelled")
          String status,
      @Option(
              names = "--notes",
              required = true,
              paramLabel = "TEXT",
              description = "what was found and done")
          String notes,
      @Option(names = "--by", paramLabel = "NAME", description = "who resolved it (default: $USER)")
          String by) {
    String who = by != null ? by : System.getProperty("user.name");
    DlqUpdate update;
    try {
      update = new DlqUpdate(status, notes, who);
    } catch (ClientException e) {
      throw Args.usage(
          e.getMessage()
              .replace("resolution_status", "--status")
              .replace("resolution_notes", "--notes"));
    }
    try (ClientSession cs = ClientSession.open(spec, false)) {
      JsonNode e = cs.client().updateDlqEntry(Args.uuid(entry, "ENTRY"), update);
      out().printf("entry %s %s (task %s)%n", entry, status, e.path("task_uuid").asText());
    }
    return TaskerCli.OK;
  }

  @Command(
      name = "stats",
      mixinStandardHelpOptions = true,
      description = "Entries by status and reason.")
  int stats(@Option(names = "--json", description = "print one JSON document") boolean json) {
    try (ClientSession cs = ClientSession.open(spec, false)) {
      JsonNode doc = cs.client().dlqStats();
      JsonNode rows = doc.path("stats");
      if (json) {
        Format.json(out(), doc);
      } else {
        Table t = new Table("STATUS", "REASON", "ENTRIES");
        rows.forEach(
            (JsonNode r) ->
                t.row(
                    r.path("resolution_status").asText(),
                    r.path("dlq_reason").asText(),
                    r.path("entries").asLong()));
        t.print(out());
      }
    }
    return TaskerCli.OK;
  }
}
