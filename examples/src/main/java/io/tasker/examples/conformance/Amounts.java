package io.tasker.examples.conformance;

import io.tasker.worker.StepContext;

/** The approval workflow's {@code amount}, read from the task context. */
final class Amounts {
  private Amounts() {}

  static long amount(StepContext ctx) {
    return BigValues.read(ctx.input("amount"), "amount").longValueExact();
  }
}
