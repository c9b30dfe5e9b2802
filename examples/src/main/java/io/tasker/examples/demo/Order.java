package io.tasker.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.worker.PermanentError;
import io.tasker.worker.StepContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The order in a demo task's context: {@code {"order_id", "items": [{sku, quantity,
 * price_cents}]}}.
 */
record Order(String orderId, List<Line> lines) {
  record Line(String sku, long quantity, long priceCents) {}

  Order {
    lines = List.copyOf(lines);
  }

  /** Reads and checks the order; bad input fails the step for good (a retry would not fix it). */
  static Order from(StepContext ctx) {
    String orderId = ctx.input("order_id").asText();
    if (orderId.isEmpty()) {
      throw invalid("order_id is required");
    }
    List<Line> lines = new ArrayList<>();
    for (JsonNode item : ctx.input("items")) {
      Line line =
          new Line(
              item.path("sku").asText(),
              item.path("quantity").asLong(),
              item.path("price_cents").asLong(-1));
      if (line.sku().isEmpty() || line.quantity() < 1 || line.priceCents() < 0) {
        throw invalid("bad order line " + item);
      }
      lines.add(line);
    }
    if (lines.isEmpty()) {
      throw invalid("an order needs at least one item");
    }
    return new Order(orderId, lines);
  }

  long units() {
    return lines.stream().mapToLong(Line::quantity).sum();
  }

  long totalCents() {
    return lines.stream().mapToLong(line -> line.quantity() * line.priceCents()).sum();
  }

  List<String> skus() {
    return lines.stream().map(Line::sku).toList();
  }

  private static PermanentError invalid(String message) {
    return new PermanentError(message, "validation_error");
  }
}
