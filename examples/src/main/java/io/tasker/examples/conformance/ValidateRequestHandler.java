package io.tasker.examples.conformance;

import io.tasker.worker.PermanentError;
import io.tasker.worker.StepContext;
import io.tasker.worker.StepHandler;
import io.tasker.worker.StepResult;
import java.util.Map;

/** Rejects a non-positive amount for good: retrying cannot fix bad input. */
public final class ValidateRequestHandler implements StepHandler {
  @Override
  public String handlerName() {
    return "conformance.validate_request";
  }

  @Override
  public StepResult call(StepContext ctx) {
    long amount = Amounts.amount(ctx);
    if (amount <= 0) {
      throw new PermanentError("amount must be positive, got " + amount, "validation_error");
    }
    return StepResult.success(Map.of("amount", amount));
  }
}
