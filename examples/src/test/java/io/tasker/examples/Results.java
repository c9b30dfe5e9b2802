package io.tasker.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.worker.StepHandler;
import io.tasker.worker.StepResult;

/** Assertions on what handlers return. */
public final class Results {
  private Results() {}

  /** {@code node} after a round trip through JSON text. */
  public static JsonNode wire(JsonNode node) {
    return Contexts.json(node.toString());
  }

  /**
   * Calls the handler and returns its success result, failing the test on anything else. The result
   * goes through JSON text as it would through the database, so {@code 36} compares equal whether
   * the handler built it as an int or a long node.
   */
  public static JsonNode success(StepHandler handler, Contexts ctx) throws Exception {
    StepResult result = handler.call(ctx.build());
    assertThat(result).isInstanceOf(StepResult.Success.class);
    return wire(((StepResult.Success) result).result());
  }
}
