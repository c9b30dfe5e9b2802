package io.tasker.worker;

/**
 * A Java step handler. A template's {@code handler.callable} names it by {@link #handlerName()} or
 * by its fully qualified class name. Implementations are found through {@link
 * java.util.ServiceLoader} ({@code META-INF/services/io.tasker.worker.StepHandler}) or registered
 * explicitly with {@link HandlerRegistry#register}. One instance serves every step that names it,
 * concurrently, on virtual threads: keep handlers stateless or thread-safe.
 *
 * <p>Failing: return {@link StepResult#failure}, or throw. {@link PermanentError} fails the step
 * for good; {@link RetryableError} and any other exception fail the attempt, and the step is
 * retried with backoff while attempts remain.
 */
@FunctionalInterface
public interface StepHandler {
  StepResult call(StepContext context) throws Exception;

  /** The callable name templates use; defaults to the class name. */
  default String handlerName() {
    return getClass().getName();
  }
}
