package io.tasker.worker;

import java.time.Duration;
import java.util.List;

/**
 * How a worker runs.
 *
 * @param namespaces the namespaces whose queues it serves
 * @param concurrency handlers running at once per namespace
 * @param defaultStepTimeout deadline for steps whose template sets no {@code timeout_seconds}
 * @param deadlineGrace extra time after a deadline before a claimed step's message is handed to
 *     another worker (the first is presumed dead)
 * @param inlineResults record each report and move the task on in the report's own transaction (one
 *     commit and no orchestration hop per step) instead of sending it to the orchestrators' results
 *     queue
 */
public record WorkerConfig(
    List<String> namespaces,
    int concurrency,
    Duration defaultStepTimeout,
    Duration deadlineGrace,
    boolean inlineResults) {
  public WorkerConfig {
    namespaces = List.copyOf(namespaces);
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
  }

  public static WorkerConfig of(List<String> namespaces) {
    return new WorkerConfig(namespaces, 32, Duration.ofMinutes(5), Duration.ofSeconds(5), true);
  }

  public WorkerConfig withDeadlineGrace(Duration d) {
    return new WorkerConfig(namespaces, concurrency, defaultStepTimeout, d, inlineResults);
  }

  public WorkerConfig withConcurrency(int n) {
    return new WorkerConfig(namespaces, n, defaultStepTimeout, deadlineGrace, inlineResults);
  }

  public WorkerConfig withInlineResults(boolean value) {
    return new WorkerConfig(namespaces, concurrency, defaultStepTimeout, deadlineGrace, value);
  }
}
