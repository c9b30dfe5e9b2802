package io.tasker.examples.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.worker.PermanentError;
import io.tasker.worker.StepContext;
import io.tasker.worker.StepHandler;
import io.tasker.worker.StepResult;
import java.math.BigInteger;
import java.util.Map;

/** Multiplies the {@code value} of every parent's result and squares the product. */
public final class SquareParentsHandler implements StepHandler {
  @Override
  public String handlerName() {
    return "conformance.square_parents";
  }

  @Override
  public StepResult call(StepContext ctx) {
    if (ctx.dependencyResults().isEmpty()) {
      throw new PermanentError("square_parents needs at least one parent step");
    }
    BigInteger product = BigInteger.ONE;
    for (Map.Entry<String, JsonNode> parent : ctx.dependencyResults().entrySet()) {
      product = product.multiply(BigValues.read(parent.getValue().path("value"), parent.getKey()));
    }
    return StepResult.success(BigValues.valueResult(product.pow(2)));
  }
}
