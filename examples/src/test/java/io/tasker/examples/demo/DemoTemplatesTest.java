package io.tasker.examples.demo;

import static io.tasker.examples.Contexts.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.examples.Contexts;
import io.tasker.examples.Handlers;
import io.tasker.examples.Results;
import io.tasker.template.ContextValidationException;
import io.tasker.template.ContextValidator;
import io.tasker.template.StepTemplate;
import io.tasker.template.TaskTemplate;
import io.tasker.template.TemplateParser;
import io.tasker.worker.PermanentError;
import io.tasker.worker.StepHandler;
import io.tasker.worker.StepResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo templates parse, name registered handlers, and run end to end in memory. */
class DemoTemplatesTest {
  private static final String ORDER =
      """
      {'order_id': 'A-1001', 'customer': 'ada@example.com',
       'items': [{'sku': 'BOOK-42', 'quantity': 2, 'price_cents': 1250},
                 {'sku': 'MUG-7', 'quantity': 1, 'price_cents': 899}]}
      """;

  private final Map<String, StepHandler> handlers = Handlers.registered();

  private static TaskTemplate template(String file) throws IOException {
    try (InputStream in = DemoTemplatesTest.class.getResourceAsStream("/demo-templates/" + file)) {
      assertThat(in).as(file).isNotNull();
      return new TemplateParser()
          .parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), file);
    }
  }

  /** Runs every step in dependency order, each seeing its parents' results; all must succeed. */
  private Map<String, JsonNode> run(TaskTemplate template, JsonNode context) throws Exception {
    new ContextValidator().validate(template, context);
    Map<String, JsonNode> results = new LinkedHashMap<>();
    for (String name : template.graph().topologicalOrder()) {
      StepTemplate step = template.step(name).orElseThrow();
      Contexts ctx = Contexts.step().withTask(context.toString());
      ctx = ctx.withConfig(step.handler().initialization().toString());
      for (String parent : step.dependencies()) {
        ctx = ctx.withParent(parent, results.get(parent));
      }
      StepHandler handler = handlers.get(step.handler().callable());
      assertThat(handler).as("handler for %s", name).isNotNull();
      StepResult result = handler.call(ctx.build());
      assertThat(result).as(name).isInstanceOf(StepResult.Success.class);
      results.put(name, Results.wire(((StepResult.Success) result).result()));
    }
    return results;
  }

  @Test
  void orderFulfilmentRunsStepByStep() throws Exception {
    TaskTemplate template = template("order_fulfillment.yaml");
    assertThat(template.key()).isEqualTo("demo/order_fulfillment/1.0.0");

    Map<String, JsonNode> results = run(template, json(ORDER));

    assertThat(results)
        .containsExactly(
            Map.entry(
                "validate_order", json("{'order_id': 'A-1001', 'units': 3, 'total_cents': 3399}")),
            Map.entry(
                "reserve_inventory",
                json("{'reservation_id': 'rsv-A-1001', 'units': 3, 'skus': ['BOOK-42', 'MUG-7']}")),
            Map.entry(
                "charge_payment",
                json(
                    "{'payment_id': 'pay-A-1001', 'amount_cents': 3399, 'currency': 'EUR',"
                        + " 'reservation_id': 'rsv-A-1001'}")),
            Map.entry(
                "ship_order",
                json(
                    "{'status': 'shipped', 'carrier': 'parcelco', 'tracking_number': 'TRK-A-1001',"
                        + " 'payment_id': 'pay-A-1001'}")));
  }

  @Test
  void aBadOrderIsRejectedBeforeAndInsideTheWorkflow() {
    JsonNode empty = json("{'order_id': 'A-1002', 'items': []}");
    assertThatThrownBy(
            () -> new ContextValidator().validate(template("order_fulfillment.yaml"), empty))
        .isInstanceOf(ContextValidationException.class);
    // the handler checks too, so it is safe when called with a context no schema guarded
    assertThatThrownBy(
            () ->
                new ValidateOrderHandler().call(Contexts.step().withTask(empty.toString()).build()))
        .isInstanceOfSatisfying(
            PermanentError.class, e -> assertThat(e.errorType()).isEqualTo("validation_error"));
  }

  @Test
  void squareDiamondReusesTheConformanceHandlers() throws Exception {
    TaskTemplate template = template("square_diamond.yaml");
    assertThat(run(template, json("{'number': 6}")).get("join"))
        .isEqualTo(json("{'value': 2821109907456}"));
    assertThat(run(template, json("{'number': 10}")).get("join"))
        .isEqualTo(json("{'value': '10000000000000000'}"));
  }
}
