package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import io.tasker.TaskerException;
import java.util.UUID;

/**
 * What travels on the queues: a pointer, never data (data lives in the tables).
 *
 * @param attempt the step attempt a completion belongs to (0 on dispatch messages)
 * @param kind {@code step} (dispatch or completion), {@code resume} (continue from a checkpoint,
 *     same attempt) or {@code evaluate} (re-evaluate the task, e.g. when a retry backoff is over)
 */
public record StepMessage(
    UUID taskUuid, UUID stepUuid, UUID correlationId, int attempt, String kind) {

  public static StepMessage dispatch(UUID task, UUID step, UUID correlation) {
    return new StepMessage(task, step, correlation, 0, "step");
  }

  public static StepMessage evaluate(UUID task, UUID correlation) {
    return new StepMessage(task, null, correlation, 0, "evaluate");
  }

  public String toJson() {
    var o = Json.object().put("task_uuid", taskUuid.toString());
    if (stepUuid != null) {
      o.put("step_uuid", stepUuid.toString());
    }
    if (correlationId != null) {
      o.put("correlation_id", correlationId.toString());
    }
    if (attempt > 0) {
      o.put("attempt", attempt);
    }
    return o.put("kind", kind).toString();
  }

  public static StepMessage parse(String json) {
    JsonNode n = Json.parse(json, "queue message");
    if (!n.hasNonNull("task_uuid")) {
      throw new TaskerException("invalid_message", "queue message without task_uuid: " + json);
    }
    try {
      return new StepMessage(
          UUID.fromString(n.get("task_uuid").asText()),
          n.hasNonNull("step_uuid") ? UUID.fromString(n.get("step_uuid").asText()) : null,
          n.hasNonNull("correlation_id") ? UUID.fromString(n.get("correlation_id").asText()) : null,
          n.path("attempt").asInt(0),
          n.path("kind").asText("step"));
    } catch (IllegalArgumentException e) {
      throw new TaskerException(
          "invalid_message",
          "queue message with a malformed uuid (" + e.getMessage() + "): " + json);
    }
  }
}
