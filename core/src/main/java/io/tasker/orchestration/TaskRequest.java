package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A request to create a task from a registered template.
 *
 * @param version empty: the highest registered version
 * @param idempotencyKey overrides the template's identity strategy: tasks with the same key (for
 *     the same template) are duplicates
 */
public record TaskRequest(
    String namespace,
    String name,
    Optional<String> version,
    JsonNode context,
    Optional<String> idempotencyKey,
    String initiator,
    String sourceSystem,
    String reason,
    int priority,
    JsonNode tags) {

  public static TaskRequest of(String namespace, String name, JsonNode context) {
    return new TaskRequest(
        namespace, name, Optional.empty(), context, Optional.empty(), null, null, null, 0, null);
  }

  public TaskRequest withVersion(String v) {
    return new TaskRequest(
        namespace,
        name,
        Optional.ofNullable(v),
        context,
        idempotencyKey,
        initiator,
        sourceSystem,
        reason,
        priority,
        tags);
  }

  public TaskRequest withIdempotencyKey(String key) {
    return new TaskRequest(
        namespace,
        name,
        version,
        context,
        Optional.ofNullable(key),
        initiator,
        sourceSystem,
        reason,
        priority,
        tags);
  }
}
