package io.tasker.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.orchestration.TaskRequest;
import io.tasker.state.TaskState;
import java.util.Arrays;
import java.util.Optional;

/**
 * The request documents shared by the client ops and the REST bodies: a task to create, a step
 * action, a DLQ update, a task filter. Each reads its fields from {@link OpArgs} and checks them.
 */
public final class Requests {
  private Requests() {}

  /** {@code namespace, name, version?, context, initiator?, source_system?, reason?, …}. */
  public static TaskRequest taskRequest(OpArgs a) {
    String namespace = a.text("namespace");
    String name = a.text("name");
    Optional<String> version = a.optText("version");
    JsonNode context =
        a.json("context")
            .orElseThrow(() -> ClientException.invalid(a.path("context"), "context is required"));
    if (!context.isObject()) {
      throw ClientException.invalid(
          a.path("context"), "context must be a JSON object (got " + context.getNodeType() + ")");
    }
    Optional<String> idempotencyKey = a.optText("idempotency_key");
    String initiator = a.optText("initiator").orElse(null);
    String sourceSystem = a.optText("source_system").orElse(null);
    String reason = a.optText("reason").orElse(null);
    int priority = a.integer("priority", 0);
    if (priority < -1000 || priority > 1000) {
      throw ClientException.invalid(
          a.path("priority"), "priority must be between -1000 and 1000 (got " + priority + ")");
    }
    JsonNode tags = a.json("tags").orElse(null);
    return new TaskRequest(
        namespace,
        name,
        version,
        context,
        idempotencyKey,
        initiator,
        sourceSystem,
        reason,
        priority,
        tags);
  }

  /** {@code action, result?, reason?, operator?}. */
  public static StepUpdate stepUpdate(OpArgs a) {
    StepUpdate.Action action = StepUpdate.Action.fromWire(a.text("action"), a.path("action"));
    JsonNode result = a.json("result").orElse(null);
    String reason = a.optText("reason").orElse(null);
    String operator = a.optText("operator").orElse(null);
    if (action == StepUpdate.Action.COMPLETE_MANUALLY && result == null) {
      throw ClientException.invalid(a.path("result"), "complete_manually needs a result");
    }
    if (action != StepUpdate.Action.COMPLETE_MANUALLY && result != null) {
      throw ClientException.invalid(
          a.path("result"), "only complete_manually takes a result (action " + action.wire() + ")");
    }
    return new StepUpdate(action, result, reason, operator);
  }

  /** {@code resolution_status, resolution_notes, resolved_by?}. */
  public static DlqUpdate dlqUpdate(OpArgs a) {
    String status = a.text("resolution_status");
    String notes = a.text("resolution_notes");
    String by = a.optText("resolved_by").orElse(null);
    return new DlqUpdate(status, notes, by);
  }

  /** A task state by its wire name, or an error listing the states. */
  public static TaskState taskState(String s, String path) {
    for (TaskState st : TaskState.values()) {
      if (st.wire().equals(s)) {
        return st;
      }
    }
    throw ClientException.invalid(
        path,
        "state must be one of "
            + String.join(", ", Arrays.stream(TaskState.values()).map(TaskState::wire).toList())
            + " (got '"
            + s
            + "')");
  }
}
