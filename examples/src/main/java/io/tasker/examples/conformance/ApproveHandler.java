package io.tasker.examples.conformance;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.tasker.worker.PermanentError;
import io.tasker.worker.StepContext;
import io.tasker.worker.StepHandler;
import io.tasker.worker.StepResult;

/** One approval; which approver it is comes from {@code initialization.approver}. */
public final class ApproveHandler implements StepHandler {
  @Override
  public String handlerName() {
    return "conformance.approve";
  }

  @Override
  public StepResult call(StepContext ctx) {
    String approver = ctx.config("approver").asText();
    if (approver.isEmpty()) {
      throw new PermanentError("initialization.approver is required");
    }
    return StepResult.success(
        JsonNodeFactory.instance
            .objectNode()
            .put("approver", approver)
            .put("amount", Amounts.amount(ctx)));
  }
}
