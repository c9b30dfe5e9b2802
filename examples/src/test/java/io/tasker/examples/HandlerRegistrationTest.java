package io.tasker.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HandlerRegistrationTest {
  @Test
  void everyHandlerIsRegisteredUnderItsCallable() {
    assertThat(Handlers.registered())
        .containsOnlyKeys(
            "conformance.square_input",
            "conformance.square_parents",
            "conformance.validate_request",
            "conformance.routing_decision",
            "conformance.approve",
            "conformance.finalize_approval",
            "conformance.plan_batches",
            "conformance.sum_batch",
            "conformance.total",
            "conformance.scripted",
            "demo.validate_order",
            "demo.reserve_inventory",
            "demo.charge_payment",
            "demo.ship_order");
  }
}
