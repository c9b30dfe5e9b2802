package io.tasker.examples.conformance;

import io.tasker.worker.StepContext;
import io.tasker.worker.StepHandler;
import io.tasker.worker.StepResult;
import java.util.List;

/** Decides which approval steps the amount needs; the engine creates only those. */
public final class RoutingDecisionHandler implements StepHandler {
  @Override
  public String handlerName() {
    return "conformance.routing_decision";
  }

  @Override
  public StepResult call(StepContext ctx) {
    long amount = Amounts.amount(ctx);
    if (amount < 1000) {
      return StepResult.decision(List.of("auto_approve"));
    }
    if (amount < 5000) {
      return StepResult.decision(List.of("manager_approval"));
    }
    return StepResult.decision(List.of("manager_approval", "finance_review"));
  }
}
