package io.tasker.examples.conformance;

import io.tasker.worker.PermanentError;
import io.tasker.worker.StepContext;
import io.tasker.worker.StepHandler;
import io.tasker.worker.StepResult;
import java.math.BigInteger;

/** Squares the task-context value named by {@code initialization.input_key}. */
public final class SquareInputHandler implements StepHandler {
  @Override
  public String handlerName() {
    return "conformance.square_input";
  }

  @Override
  public StepResult call(StepContext ctx) {
    String key = ctx.config("input_key").asText();
    if (key.isEmpty()) {
      throw new PermanentError("initialization.input_key is required");
    }
    BigInteger n = BigValues.read(ctx.input(key), key);
    return StepResult.success(BigValues.valueResult(n.pow(2)));
  }
}
