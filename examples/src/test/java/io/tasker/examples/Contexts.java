package io.tasker.examples;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tasker.worker.StepContext;
import io.tasker.worker.StepContext.Checkpoint;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Hand-built step contexts for calling handlers directly. Immutable: each {@code with…} returns a
 * copy. JSON is written with single quotes to keep test literals readable.
 */
public record Contexts(
    JsonNode task,
    JsonNode initialization,
    Map<String, JsonNode> parents,
    JsonNode stepInputs,
    Optional<Checkpoint> checkpoint,
    int attempts) {

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_SINGLE_QUOTES).build();

  public static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An empty context on a first attempt. */
  public static Contexts step() {
    return new Contexts(json("{}"), json("{}"), Map.of(), json("{}"), Optional.empty(), 1);
  }

  public Contexts withTask(String json) {
    return new Contexts(json(json), initialization, parents, stepInputs, checkpoint, attempts);
  }

  public Contexts withConfig(String json) {
    return new Contexts(task, json(json), parents, stepInputs, checkpoint, attempts);
  }

  public Contexts withParent(String name, JsonNode result) {
    Map<String, JsonNode> more = new LinkedHashMap<>(parents);
    more.put(name, result);
    return new Contexts(task, initialization, more, stepInputs, checkpoint, attempts);
  }

  public Contexts withParent(String name, String json) {
    return withParent(name, json(json));
  }

  public Contexts withStepInputs(JsonNode inputs) {
    return new Contexts(task, initialization, parents, inputs, checkpoint, attempts);
  }

  public Contexts withCheckpoint(Checkpoint cp) {
    return new Contexts(task, initialization, parents, stepInputs, Optional.of(cp), attempts);
  }

  public Contexts withAttempts(int n) {
    return new Contexts(task, initialization, parents, stepInputs, checkpoint, n);
  }

  public StepContext build() {
    return new StepContext(
        UUID.randomUUID(),
        UUID.randomUUID(),
        "test",
        "test_task",
        "test_step",
        task,
        initialization,
        parents,
        stepInputs,
        checkpoint,
        attempts,
        3);
  }
}
