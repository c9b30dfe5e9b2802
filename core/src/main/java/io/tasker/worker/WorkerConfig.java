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
 */
public record WorkerConfig(
    List<String> namespaces, int concurrency, Duration defaultStepTimeout, Duration deadlineGrace) {
  public WorkerConfig {
    namespaces = List.copyOf(namespaces);
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
  }

  public static WorkerConfig of(List<String> namespaces) {
    return new WorkerConfig(namespaces, 32, Duration.ofMinutes(5), Duration.ofSeconds(5));
  }

  public WorkerConfig withDeadlineGrace(Duration d) {
    return new WorkerConfig(namespaces, concurrency, defaultStepTimeout, d);
  }

  public WorkerConfig withConcurrency(int n) {
    return new WorkerConfig(namespaces, n, defaultStepTimeout, deadlineGrace);
  }
}
