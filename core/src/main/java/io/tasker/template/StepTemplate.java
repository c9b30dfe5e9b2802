package io.tasker.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One step of a task template, read from {@code steps[]}.
 *
 * @param dependencies names of the steps this one waits for ({@code dependencies} or its alias
 *     {@code depends_on}), in template order
 * @param timeoutSeconds how long a claimed step may run before it is failed as a timeout, or null
 *     for the system default
 * @param publishesEvents event declarations, kept as written
 * @param batchConfig null unless the step has a {@code batch_config}
 * @param resultSchema JSON Schema of the handler's result (tooling metadata), or null
 * @param composition kept as written for tooling, or null
 */
public record StepTemplate(
    String name,
    String description,
    StepType type,
    HandlerSpec handler,
    List<String> dependencies,
    RetryPolicy retry,
    Integer timeoutSeconds,
    List<JsonNode> publishesEvents,
    BatchConfig batchConfig,
    JsonNode resultSchema,
    JsonNode composition) {

  public StepTemplate {
    dependencies = List.copyOf(dependencies);
    publishesEvents = List.copyOf(publishesEvents);
  }
}
