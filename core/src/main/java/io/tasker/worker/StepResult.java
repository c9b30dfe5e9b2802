package io.tasker.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a handler returns. Decision and batch steps return a {@link Success} whose result carries
 * tasker-core's outcome shapes ({@code decision_point_outcome}, {@code batch_processing_outcome});
 * {@link #decision}, {@link #batches} and {@link #noBatches} build them.
 */
public sealed interface StepResult {
  ObjectMapper JSON = new ObjectMapper();

  /** The step succeeded with {@code result} (any JSON value, usually an object). */
  record Success(JsonNode result) implements StepResult {}

  /**
   * The attempt failed. {@code retryable} is authoritative; {@code retryAfter} overrides the
   * template's backoff for the next attempt.
   */
  record Failure(String message, String errorType, boolean retryable, Optional<Duration> retryAfter)
      implements StepResult {}

  /** Store a checkpoint and run this step again, resuming from it (same attempt). */
  record CheckpointYield(JsonNode cursor, long itemsProcessed, JsonNode accumulatedResults)
      implements StepResult {}

  static StepResult success(JsonNode result) {
    return new Success(result);
  }

  static StepResult success(Map<String, ?> result) {
    return new Success(JSON.valueToTree(result));
  }

  static StepResult failure(String message, String errorType, boolean retryable) {
    return new Failure(message, errorType, retryable, Optional.empty());
  }

  static StepResult retryLater(String message, String errorType, Duration retryAfter) {
    return new Failure(message, errorType, true, Optional.of(retryAfter));
  }

  static StepResult checkpointYield(Object cursor, long itemsProcessed, Object accumulated) {
    return new CheckpointYield(
        JSON.valueToTree(cursor), itemsProcessed, JSON.valueToTree(accumulated));
  }

  /** A decision step's outcome: create these named downstream steps. */
  static StepResult decision(List<String> stepNames) {
    ObjectNode outcome = JSON.createObjectNode().put("type", "create_steps");
    outcome.set("step_names", JSON.valueToTree(stepNames));
    ObjectNode result = JSON.createObjectNode();
    result.set("decision_point_outcome", outcome);
    return new Success(result);
  }

  /** A batchable step's outcome: one worker per cursor config, from {@code workerTemplate}. */
  static StepResult batches(
      String workerTemplate, List<Map<String, Object>> cursorConfigs, long totalItems) {
    ObjectNode outcome =
        JSON.createObjectNode()
            .put("type", "create_batches")
            .put("worker_template_name", workerTemplate)
            .put("worker_count", cursorConfigs.size())
            .put("total_items", totalItems);
    outcome.set("cursor_configs", JSON.valueToTree(cursorConfigs));
    ObjectNode result = JSON.createObjectNode();
    result.set("batch_processing_outcome", outcome);
    return new Success(result);
  }

  static StepResult noBatches() {
    ObjectNode result = JSON.createObjectNode();
    result.set("batch_processing_outcome", JSON.createObjectNode().put("type", "no_batches"));
    return new Success(result);
  }
}
