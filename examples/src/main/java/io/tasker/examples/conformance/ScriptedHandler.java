package io.tasker.examples.conformance;

import io.tasker.worker.PermanentError;
import io.tasker.worker.StepContext;
import io.tasker.worker.StepHandler;
import io.tasker.worker.StepResult;
import java.util.Map;

/** Fails in the way {@code context.mode} asks, to exercise retries, errors and timeouts. */
public final class ScriptedHandler implements StepHandler {
  @Override
  public String handlerName() {
    return "conformance.scripted";
  }

  @Override
  public StepResult call(StepContext ctx) throws InterruptedException {
    String mode = ctx.input("mode").asText();
    switch (mode) {
      case "succeed_on_third_attempt" -> {
        if (ctx.retryCount() < 2) {
          return StepResult.failure("not yet", "transient", true);
        }
        return StepResult.success(Map.of("value", 3));
      }
      case "permanent_failure" -> throw new PermanentError("scripted permanent failure");
      case "always_retryable" -> {
        return StepResult.failure("scripted retryable failure", "transient", true);
      }
      case "raise_exception" -> throw new IllegalStateException("scripted exception");
      case "sleep_past_timeout" -> {
        Thread.sleep(5000); // the step's timeout_seconds is 2: the engine gives up first
        return StepResult.success(Map.of("value", 3));
      }
      default -> throw new PermanentError("unknown mode '" + mode + "'");
    }
  }
}
