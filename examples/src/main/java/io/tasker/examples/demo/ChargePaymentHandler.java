package io.tasker.examples.demo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.tasker.worker.StepContext;
import io.tasker.worker.StepHandler;
import io.tasker.worker.StepResult;

/** Charges the order total once the items are reserved. */
public final class ChargePaymentHandler implements StepHandler {
  @Override
  public String handlerName() {
    return "demo.charge_payment";
  }

  @Override
  public StepResult call(StepContext ctx) {
    Order order = Order.from(ctx);
    String reservation = ctx.dependencyResult("reserve_inventory").path("reservation_id").asText();
    return StepResult.success(
        JsonNodeFactory.instance
            .objectNode()
            .put("payment_id", "pay-" + order.orderId())
            .put("amount_cents", order.totalCents())
            .put("currency", ctx.config("currency").asText("EUR"))
            .put("reservation_id", reservation));
  }
}
