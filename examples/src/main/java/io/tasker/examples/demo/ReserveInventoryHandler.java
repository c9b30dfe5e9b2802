package io.tasker.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.worker.StepContext;
import io.tasker.worker.StepHandler;
import io.tasker.worker.StepResult;

/** Reserves the order's items, reading the validated order from its parent's result. */
public final class ReserveInventoryHandler implements StepHandler {
  @Override
  public String handlerName() {
    return "demo.reserve_inventory";
  }

  @Override
  public StepResult call(StepContext ctx) {
    JsonNode validated = ctx.dependencyResult("validate_order");
    ObjectNode result =
        JsonNodeFactory.instance
            .objectNode()
            .put("reservation_id", "rsv-" + validated.path("order_id").asText())
            .put("units", validated.path("units").asLong());
    Order.from(ctx).skus().forEach(result.putArray("skus")::add);
    return StepResult.success(result);
  }
}
