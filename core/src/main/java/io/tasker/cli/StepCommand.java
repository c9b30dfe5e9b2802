package io.tasker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.Json;
import io.tasker.TaskerException;
import io.tasker.client.StepUpdate;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tasker step list|reset|resolve|complete}: inspect and repair the steps of a task. */
@Command(
    name = "step",
    mixinStandardHelpOptions = true,
    description = {
      "List a task's steps, and repair stuck or failed ones.",
      "STEP is a step uuid or a step name (as in 'tasker step list TASK'). After a change the"
          + " task is evaluated at once, so dependents of a resolved or completed step run."
    })
final class StepCommand {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List a task's steps: uuid, type, state, attempts, result or error.")
  int list(
      @Parameters(paramLabel = "TASK", description = "task uuid") String task,
      @Option(names = "--json", description = "print one JSON document") boolean json) {
    UUID id = Args.uuid(task, "TASK");
    try (ClientSession cs = ClientSession.open(spec, false)) {
      JsonNode doc = cs.client().getTask(id);
      if (json) {
        ObjectNode o = Json.object().put("task_uuid", id.toString());
        o.set("state", doc.get("state"));
        o.set("steps", doc.get("steps"));
        Format.json(out(), o);
      } else {
        out().printf("task %s (%s): %s%n", id, TaskView.key(doc), doc.path("state").asText());
        TaskView.steps(out(), doc, true);
      }
    }
    return TaskerCli.OK;
  }

  @Command(
      name = "reset",
      mixinStandardHelpOptions = true,
      description = "Give a failed step its attempts back and run it again (reset_for_retry).")
  int reset(
      @Parameters(index = "0", paramLabel = "TASK", description = "task uuid") String task,
      @Parameters(index = "1", paramLabel = "STEP", description = "step uuid or name") String step,
      @Option(names = "--reason", paramLabel = "TEXT", description = "recorded with the change")
          String reason,
      @Option(names = "--json", description = "print one JSON document") boolean json) {
    return act(
        task, step, json, new StepUpdate(StepUpdate.Action.RESET_FOR_RETRY, null, reason, null));
  }

  @Command(
      name = "resolve",
      mixinStandardHelpOptions = true,
      description = "Mark a step resolved without a result (resolve_manually); its dependents run.")
  int resolve(
      @Parameters(index = "0", paramLabel = "TASK", description = "task uuid") String task,
      @Parameters(index = "1", paramLabel = "STEP", description = "step uuid or name") String step,
      @Option(names = "--reason", paramLabel = "TEXT", description = "recorded with the change")
          String reason,
      @Option(names = "--json", description = "print one JSON document") boolean json) {
    return act(
        task, step, json, new StepUpdate(StepUpdate.Action.RESOLVE_MANUALLY, null, reason, null));
  }

  @Command(
      name = "complete",
      mixinStandardHelpOptions = true,
      description =
          "Complete a step with the given result (complete_manually); its dependents run and"
              + " receive the result.")
  int complete(
      @Parameters(index = "0", paramLabel = "TASK", description = "task uuid") String task,
      @Parameters(index = "1", paramLabel = "STEP", description = "step uuid or name") String step,
      @Option(
              names = "--result",
              required = true,
              paramLabel = "JSON|@FILE",
              description = "the step's result: JSON, @file.json, or @- for standard input")
          String result,
      @Option(names = "--reason", paramLabel = "TEXT", description = "recorded with the change")
          String reason,
      @Option(names = "--json", description = "print one JSON document") boolean json) {
    JsonNode value = Args.json(result, "--result", System.in);
    return act(
        task, step, json, new StepUpdate(StepUpdate.Action.COMPLETE_MANUALLY, value, reason, null));
  }

  private int act(String task, String step, boolean json, StepUpdate update) {
    UUID id = Args.uuid(task, "TASK");
    try (ClientSession cs = ClientSession.open(spec, false)) {
      JsonNode target = resolveStep(cs.client().getTask(id), step);
      UUID stepId = UUID.fromString(target.path("step_uuid").asText());
      cs.client().updateStep(id, stepId, update);
      String state = cs.client().getTask(id).path("state").asText();
      String action = update.action().wire();
      if (json) {
        Format.json(
            out(),
            Json.object()
                .put("task_uuid", id.toString())
                .put("step_uuid", stepId.toString())
                .put("step", target.path("name").asText())
                .put("action", action)
                .put("step_state", stepStateAfter(action))
                .put("state", state));
      } else {
        out()
            .printf(
                "step %s is now %s; task %s is now %s%n",
                target.path("name").asText(), stepStateAfter(action), id, state);
      }
    }
    return TaskerCli.OK;
  }

  private static String stepStateAfter(String action) {
    return switch (action) {
      case "reset_for_retry" -> "pending";
      case "resolve_manually" -> "resolved_manually";
      default -> "complete";
    };
  }

  /** The step of the task document named by uuid or by name. */
  static JsonNode resolveStep(JsonNode doc, String step) {
    List<String> names = new ArrayList<>();
    List<JsonNode> byName = new ArrayList<>();
    for (JsonNode s : doc.path("steps")) {
      if (Args.isUuid(step) && s.path("step_uuid").asText().equalsIgnoreCase(step.strip())) {
        return s;
      }
      if (s.path("name").asText().equals(step)) {
        byName.add(s);
      }
      names.add(s.path("name").asText());
    }
    if (byName.size() == 1) {
      return byName.get(0);
    }
    if (byName.size() > 1) {
      throw Args.usage(
          "task "
              + doc.path("task_uuid").asText()
              + " has "
              + byName.size()
              + " steps named "
              + step
              + "; give the step uuid (tasker step list TASK)");
    }
    throw new TaskerException(
        "step_not_found",
        "task "
            + doc.path("task_uuid").asText()
            + " has no step "
            + step
            + " (its steps: "
            + String.join(", ", names)
            + ")");
  }
}
