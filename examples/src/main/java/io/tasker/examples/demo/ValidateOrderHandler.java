package io.tasker.examples.demo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.tasker.worker.StepContext;
import io.tasker.worker.StepHandler;
import io.tasker.worker.StepResult;

/** First step of {@code demo/order_fulfillment}: checks the order and prices it. */
public final class ValidateOrderHandler implements StepHandler {
  @Override
  public String handlerName() {
    return "demo.validate_order";
  }

  @Override
  public StepResult call(StepContext ctx) {
    Order order = Order.from(ctx); // throws a validation_error on a bad order
    return StepResult.success(
        JsonNodeFactory.instance
            .objectNode()
            .put("order_id", order.orderId())
            .put("units", order.units())
            .put("total_cents", order.totalCents()));
  }
}
