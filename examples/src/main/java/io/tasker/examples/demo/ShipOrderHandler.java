package io.tasker.examples.demo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.tasker.worker.StepContext;
import io.tasker.worker.StepHandler;
import io.tasker.worker.StepResult;

/** Last step: hands the paid order to the carrier named in the step's initialization. */
public final class ShipOrderHandler implements StepHandler {
  @Override
  public String handlerName() {
    return "demo.ship_order";
  }

  @Override
  public StepResult call(StepContext ctx) {
    String orderId = ctx.input("order_id").asText();
    String payment = ctx.dependencyResult("charge_payment").path("payment_id").asText();
    return StepResult.success(
        JsonNodeFactory.instance
            .objectNode()
            .put("status", "shipped")
            .put("carrier", ctx.config("carrier").asText("parcelco"))
            .put("tracking_number", "TRK-" + orderId)
            .put("payment_id", payment));
  }
}
