package io.tasker.template;

/**
 * How a batchable step splits its work. Missing keys take tasker-core's defaults.
 *
 * @param workerTemplate the batch_worker step to instantiate, or null when the handler's outcome
 *     names it
 * @param failureStrategy one of {@code continue_on_failure}, {@code fail_fast}, {@code isolate}
 */
public record BatchConfig(
    int batchSize,
    int parallelism,
    String cursorField,
    String workerTemplate,
    String failureStrategy) {

  static final int DEFAULT_BATCH_SIZE = 1000;
  static final int DEFAULT_PARALLELISM = 10;
  static final String DEFAULT_CURSOR_FIELD = "id";
  static final String DEFAULT_FAILURE_STRATEGY = "continue_on_failure";
}
