package io.tasker.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.Json;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a handler with its deadline and turns everything that can happen into a {@link StepResult}:
 * a result, a thrown permanent or retryable error, any other exception, a timeout, a null, a
 * missing handler. Nothing a handler does escapes as an exception.
 */
final class StepOutcomes {
  private StepOutcomes() {}

  static StepResult run(HandlerRegistry handlers, Claim claim, ExecutorService executor) {
    Optional<StepHandler> handler = handlers.find(claim.callable());
    if (handler.isEmpty()) {
      return StepResult.failure(
          "no handler for callable '" + claim.callable() + "' in this worker",
          "handler_not_found",
          false);
    }
    StepHandler h = handler.get();
    Future<StepResult> f =
        h instanceof DispatchAwareHandler d
            ? executor.submit(() -> d.call(claim.context(), dispatchOf(claim)))
            : executor.submit(() -> h.call(claim.context()));
    try {
      StepResult r = f.get(claim.timeout().toMillis(), TimeUnit.MILLISECONDS);
      return r != null
          ? r
          : StepResult.failure(
              "handler '" + claim.callable() + "' returned null", "invalid_result", false);
    } catch (TimeoutException e) {
      f.cancel(true);
      return StepResult.failure(
          "step timed out after " + seconds(claim.timeout()) + " s", "timeout", true);
    } catch (ExecutionException e) {
      return fromThrowable(e.getCause());
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      return StepResult.failure("worker shutting down", "worker_shutdown", true);
    }
  }

  private static StepDispatch dispatchOf(Claim claim) {
    return new StepDispatch(
        claim.correlationId(),
        claim.taskVersion(),
        claim.callable(),
        claim.timeout(),
        java.time.Instant.now().plus(claim.timeout()));
  }

  static StepResult fromThrowable(Throwable t) {
    return switch (t) {
      case PermanentError p -> StepResult.failure(p.getMessage(), p.errorType(), false);
      case RetryableError r ->
          new StepResult.Failure(r.getMessage(), r.errorType(), true, r.retryAfter());
      default ->
          new StepResult.Failure(
              t.getMessage() == null ? t.getClass().getName() : t.getMessage(),
              t.getClass().getSimpleName(),
              true,
              Optional.empty());
    };
  }

  /** The error document stored on the step ({@code last_error}). */
  static ObjectNode errorJson(StepResult.Failure f) {
    ObjectNode e =
        Json.object()
            .put("message", f.message())
            .put("error_type", f.errorType())
            .put("retryable", f.retryable());
    f.retryAfter().ifPresent(d -> e.put("retry_after_seconds", d.toMillis() / 1000.0));
    return e;
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0
        ? Long.toString(d.toSeconds())
        : String.format("%.1f", d.toMillis() / 1000.0);
  }
}
