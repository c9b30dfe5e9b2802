package io.tasker.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ContextValidatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final TaskTemplate ORDERS =
      Templates.parse(
          """
          name: orders
          namespace_name: shop
          version: 1.0.0
          input_schema:
            type: object
            required: [even_number, items]
            properties:
              even_number: {type: integer, minimum: 2}
              items:
                type: array
                items:
                  type: object
                  required: [sku]
                  properties:
                    sku: {type: string}
                    qty: {type: integer, minimum: 1}
          steps:
            - name: a
              handler: {callable: h}
          """);

  private final ContextValidator validator = new ContextValidator();

  @Test
  void acceptsAMatchingContext() {
    assertThat(validator.check(ORDERS, json("{\"even_number\": 6, \"items\": [{\"sku\": \"x\"}]}")))
        .isEmpty();
  }

  @Test
  void namesEachOffendingValueByJsonPath() {
    JsonNode context =
        json("{\"even_number\": \"six\", \"items\": [{\"sku\": \"x\"}, {\"sku\": 7, \"qty\": 0}]}");

    assertThat(validator.check(ORDERS, context))
        .extracting(TemplateProblem::toString)
        .containsExactlyInAnyOrder(
            "$.even_number: string found, integer expected",
            "$.items[1].sku: integer found, string expected",
            "$.items[1].qty: must have a minimum value of 1");
  }

  @Test
  void reportsMissingRequiredKeys() {
    assertThat(validator.check(ORDERS, json("{\"items\": []}")))
        .extracting(TemplateProblem::toString)
        .containsExactly("$: required property 'even_number' not found");
  }

  @Test
  void treatsAMissingContextAsEmpty() {
    assertThat(validator.check(ORDERS, null))
        .extracting(TemplateProblem::toString)
        .containsExactly(
            "$: required property 'even_number' not found",
            "$: required property 'items' not found");
  }

  @Test
  void acceptsAnythingWithoutAnInputSchema() {
    TaskTemplate free = Templates.parse(Templates.MINIMAL);

    assertThat(validator.check(free, json("[1, 2, 3]"))).isEmpty();
  }

  @Test
  void validateThrowsWithEveryProblem() {
    assertThatThrownBy(() -> validator.validate(ORDERS, json("{\"even_number\": 1}")))
        .isInstanceOfSatisfying(
            ContextValidationException.class,
            e -> {
              assertThat(e.code()).isEqualTo("invalid_context");
              assertThat(e.problems()).hasSize(2);
            })
        .hasMessage(
            "context for shop/orders/1.0.0 is invalid (2 problems):\n"
                + "  - $.even_number: must have a minimum value of 2\n"
                + "  - $: required property 'items' not found");
  }

  @Test
  void compilesEachSchemaOnce() {
    TaskTemplate again = Templates.parse(ORDERS.document().toString());

    validator.check(ORDERS, json("{}"));
    validator.check(again, json("{}"));
    validator.check(ORDERS, json("{}"));

    assertThat(validator.cachedSchemas()).isEqualTo(1);
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
