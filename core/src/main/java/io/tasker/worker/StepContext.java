package io.tasker.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Everything a handler may read about its step. Values are Jackson trees; absent keys are {@link
 * MissingNode} (never null), so {@code ctx.input("n").asLong()} is safe to chain.
 *
 * @param taskContext the task's context (what the client passed at creation)
 * @param initialization the step's {@code handler.initialization} from the template
 * @param dependencyResults parent step name → that parent's result, for parents that exist
 * @param stepInputs the step's own inputs; for a batch worker its cursor config
 * @param checkpoint the last checkpoint stored for this step, if any
 * @param attempts this attempt's number, starting at 1
 */
public record StepContext(
    UUID taskUuid,
    UUID stepUuid,
    String namespace,
    String taskName,
    String stepName,
    JsonNode taskContext,
    JsonNode initialization,
    Map<String, JsonNode> dependencyResults,
    JsonNode stepInputs,
    Optional<Checkpoint> checkpoint,
    int attempts,
    int maxAttempts) {

  /** A stored checkpoint: where to resume and what was accumulated so far. */
  public record Checkpoint(JsonNode cursor, long itemsProcessed, JsonNode accumulatedResults) {}

  public StepContext {
    dependencyResults = Map.copyOf(dependencyResults);
  }

  /** A key of the task context. */
  public JsonNode input(String key) {
    return taskContext.path(key);
  }

  /** The result of the parent step {@code stepName}; missing when that parent does not exist. */
  public JsonNode dependencyResult(String stepName) {
    JsonNode r = dependencyResults.get(stepName);
    return r == null ? MissingNode.getInstance() : r;
  }

  /** A key of the step's {@code handler.initialization}. */
  public JsonNode config(String key) {
    return initialization.path(key);
  }

  /** Attempts before this one (0 on the first attempt), as other languages' {@code retry_count}. */
  public int retryCount() {
    return attempts - 1;
  }
}
