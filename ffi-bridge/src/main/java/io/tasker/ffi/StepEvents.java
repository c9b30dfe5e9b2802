package io.tasker.ffi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.Json;
import io.tasker.TaskerException;
import io.tasker.worker.StepContext;
import io.tasker.worker.StepDispatch;
import java.util.Map;

/** The step event document a host receives from {@code tasker_poll} (docs/abi.md#step-event). */
final class StepEvents {
  private StepEvents() {}

  static byte[] encode(String eventId, StepContext ctx, StepDispatch d) {
    ObjectNode e = Json.object();
    e.put("event_id", eventId)
        .put("task_uuid", ctx.taskUuid().toString())
        .put("step_uuid", ctx.stepUuid().toString())
        .put("correlation_id", d.correlationId() == null ? null : d.correlationId().toString())
        .put("namespace", ctx.namespace())
        .put("task_name", ctx.taskName())
        .put("task_version", d.taskVersion())
        .put("step_name", ctx.stepName())
        .put("callable", d.callable());
    e.set("initialization", orEmpty(ctx.initialization()));
    e.set("task_context", orEmpty(ctx.taskContext()));
    ObjectNode deps = e.putObject("dependency_results");
    for (Map.Entry<String, JsonNode> dep : ctx.dependencyResults().entrySet()) {
      deps.set(dep.getKey(), dep.getValue());
    }
    e.set("step_inputs", orEmpty(ctx.stepInputs()));
    if (ctx.checkpoint().isPresent()) {
      StepContext.Checkpoint cp = ctx.checkpoint().get();
      ObjectNode c = e.putObject("checkpoint");
      c.set("cursor", cp.cursor());
      c.put("items_processed", cp.itemsProcessed());
      c.set("accumulated_results", cp.accumulatedResults());
    } else {
      e.putNull("checkpoint");
    }
    e.put("attempts", ctx.attempts())
        .put("max_attempts", ctx.maxAttempts())
        .put("retry_count", ctx.retryCount())
        .put("deadline_unix_ms", d.deadline().toEpochMilli())
        .putNull("trace_id")
        .putNull("span_id");
    try {
      return Json.MAPPER.writeValueAsBytes(e);
    } catch (JsonProcessingException ex) {
      throw new TaskerException("internal_error", "cannot encode step event: " + ex.getMessage());
    }
  }

  private static JsonNode orEmpty(JsonNode n) {
    return n == null || n.isMissingNode() || n.isNull() ? Json.object() : n;
  }
}
