package io.tasker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.TaskerException;
import io.tasker.client.ClientException;
import io.tasker.client.ErrorKind;
import io.tasker.client.Requests;
import io.tasker.client.TaskFilter;
import io.tasker.client.TaskerClient;
import io.tasker.orchestration.TaskRequest;
import io.tasker.state.TaskState;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tasker task create|get|list|cancel}. */
@Command(
    name = "task",
    mixinStandardHelpOptions = true,
    description = "Create, inspect, list and cancel tasks.",
    subcommands = TaskCommand.Create.class)
final class TaskCommand {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** {@code tasker task create}: a class, since {@code --version} clashes with the standard one. */
  @Command(
      name = "create",
      description = {
        "Create a task from a registered template.",
        "Prints the task uuid; with --wait, waits for the task to finish and prints it.",
        "Exit codes: 0 created (with --wait: ended complete), 1 ended in another final state,"
            + " 2 usage or validation error (bad JSON, invalid context, duplicate task, unknown"
            + " template), 3 --wait timed out."
      })
  static final class Create implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--namespace", required = true, paramLabel = "NS", description = "namespace")
    String namespace;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "template name")
    String name;

    @Option(
        names = "--version",
        paramLabel = "VERSION",
        description = "template version (default: the highest registered)")
    String version;

    @Option(
        names = "--context",
        required = true,
        paramLabel = "JSON|@FILE",
        description = "the task context: a JSON object, @file.json, or @- for standard input")
    String context;

    @Option(
        names = "--idempotency-key",
        paramLabel = "KEY",
        description = "tasks with the same key (and template) are duplicates")
    String idempotencyKey;

    @Option(names = "--wait", description = "wait until the task reaches a final state")
    boolean await;

    @Option(
        names = "--timeout",
        paramLabel = "SECONDS",
        description = "with --wait: give up after this many seconds (default 60; exit 3)")
    Double timeoutSeconds;

    @Option(names = "--json", description = "print one JSON document: the task document")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
      if (timeoutSeconds != null && !await) {
        throw Args.usage("--timeout needs --wait");
      }
      if (timeoutSeconds != null && !(timeoutSeconds > 0)) {
        throw Args.usage("--timeout must be a positive number of seconds");
      }
      Duration timeout =
          Duration.ofMillis(Math.round((timeoutSeconds == null ? 60 : timeoutSeconds) * 1000));
      JsonNode ctx = Args.json(context, "--context", System.in);
      if (!ctx.isObject()) {
        throw new TaskerException(
            "invalid_context", "--context must be a JSON object (got " + ctx.getNodeType() + ")");
      }
      PrintWriter out = spec.commandLine().getOut();
      TaskRequest request =
          TaskRequest.of(namespace, name, ctx)
              .withVersion(version)
              .withIdempotencyKey(idempotencyKey);
      // locally, listen before creating, so the finishing notification cannot be missed
      try (ClientSession cs = ClientSession.open(spec, await)) {
        TaskerClient client = cs.client();
        JsonNode created = client.createTask(request);
        UUID task = UUID.fromString(created.path("task_uuid").asText());
        if (!await) {
          if (json) {
            Format.json(out, created);
          } else {
            out.println(task);
          }
          return TaskerCli.OK;
        }
        JsonNode doc;
        boolean finished = true;
        try {
          doc = client.waitForTask(task, timeout);
        } catch (ClientException e) {
          if (e.kind() != ErrorKind.TIMEOUT) {
            throw e;
          }
          finished = false;
          doc = client.getTask(task);
        }
        if (json) {
          Format.json(out, doc);
        } else {
          TaskView.print(out, doc);
        }
        if (!finished) {
          PrintWriter err = spec.commandLine().getErr();
          err.printf(
              "tasker: task %s did not finish within %s (state %s); it goes on running."
                  + " Does a worker serve namespace '%s', and an orchestrator run"
                  + " (tasker run --templates DIR does both)? Follow it with: tasker task get %s%n",
              task,
              Format.duration(timeout),
              doc.path("state").asText(),
              doc.path("namespace").asText(),
              task);
          err.flush();
          return TaskerCli.TIMEOUT;
        }
        return doc.path("state").asText().equals(TaskState.COMPLETE.wire())
            ? TaskerCli.OK
            : TaskerCli.FAILED;
      }
    }
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Show a task and its steps.")
  int get(
      @Parameters(paramLabel = "TASK", description = "task uuid") String task,
      @Option(names = "--json", description = "print the task document") boolean json) {
    UUID id = Args.uuid(task, "TASK");
    try (ClientSession cs = ClientSession.open(spec, false)) {
      JsonNode doc = cs.client().getTask(id);
      if (json) {
        Format.json(out(), doc);
      } else {
        TaskView.print(out(), doc);
      }
    }
    return TaskerCli.OK;
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List tasks, newest first.")
  int list(
      @Option(names = "--namespace", paramLabel = "NS", description = "only this namespace")
          String namespace,
      @Option(names = "--name", paramLabel = "NAME", description = "only this template name")
          String name,
      @Option(names = "--state", paramLabel = "STATE", description = "only tasks in this state")
          String state,
      @Option(
              names = "--limit",
              defaultValue = "50",
              description = "at most this many (default ${DEFAULT-VALUE})")
          int limit,
      @Option(
              names = "--offset",
              defaultValue = "0",
              description = "skip this many (default ${DEFAULT-VALUE})")
          int offset,
      @Option(names = "--json", description = "print one JSON document") boolean json) {
    try (ClientSession cs = ClientSession.open(spec, false)) {
      TaskFilter filter =
          new TaskFilter(
              Optional.ofNullable(namespace),
              Optional.ofNullable(name),
              Optional.ofNullable(state)
                  .map(st -> Requests.taskState(st.toLowerCase(Locale.ROOT), "$.state", "--state")),
              limit,
              offset);
      JsonNode doc = cs.client().listTasks(filter);
      if (json) {
        Format.json(out(), doc);
        return TaskerCli.OK;
      }
      JsonNode tasks = doc.path("tasks");
      if (tasks.isEmpty()) {
        out().println(offset == 0 ? "no tasks" : "no tasks from offset " + offset);
        return TaskerCli.OK;
      }
      Table table = new Table("TASK", "TEMPLATE", "STATE", "STEPS DONE", "CREATED");
      for (JsonNode t : tasks) {
        table.row(
            t.path("task_uuid").asText(),
            TaskView.key(t),
            t.path("state").asText(),
            t.path("steps_done").asInt() + "/" + t.path("steps").asInt(),
            Format.time(t.path("created_at")));
      }
      table.print(out());
      if (doc.path("pagination").path("has_more").asBoolean()) {
        out()
            .printf(
                "(%d of %d from offset %d; --offset %d for more)%n",
                tasks.size(),
                doc.path("pagination").path("total_count").asLong(),
                offset,
                offset + tasks.size());
      }
    }
    return TaskerCli.OK;
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Cancel a task and every step of it that has not finished.")
  int cancel(
      @Parameters(paramLabel = "TASK", description = "task uuid") String task,
      @Option(names = "--reason", paramLabel = "TEXT", description = "recorded with the change")
          String reason,
      @Option(names = "--json", description = "print one JSON document") boolean json) {
    UUID id = Args.uuid(task, "TASK");
    try (ClientSession cs = ClientSession.open(spec, false)) {
      JsonNode doc = cs.client().cancelTask(id, reason);
      if (json) {
        Format.json(out(), doc);
      } else {
        out().printf("task %s is now %s%n", id, doc.path("state").asText());
      }
    }
    return TaskerCli.OK;
  }
}
