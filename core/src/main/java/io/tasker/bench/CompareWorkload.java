package io.tasker.bench;

import io.tasker.TaskerException;

/**
 * What every engine in {@code tasker bench compare} runs, per shape (linear and diamond, 4 no-op
 * steps each): {@code warmup} then {@code latencyTasks} workflows one at a time, then {@code
 * throughputTasks} with {@code inFlight} running at once.
 */
public record CompareWorkload(int latencyTasks, int warmup, int throughputTasks, int inFlight) {
  /** The shapes compared, in the order they run. */
  public static final java.util.List<String> SHAPES = java.util.List.of("linear", "diamond");

  /** Steps per workflow of every compared shape. */
  public static final int STEPS = 4;

  public CompareWorkload {
    if (latencyTasks < 1 || throughputTasks < 1 || inFlight < 1 || warmup < 0) {
      throw new TaskerException(
          "invalid_argument",
          "bench compare needs --tasks, --throughput-tasks and --in-flight >= 1 and --warmup >= 0"
              + " (got tasks "
              + latencyTasks
              + ", throughput tasks "
              + throughputTasks
              + ", in flight "
              + inFlight
              + ", warm-up "
              + warmup
              + ")");
    }
  }

  /** The default run: 200 workflows per shape for latency, 1,000 with 32 in flight. */
  public static CompareWorkload full() {
    return new CompareWorkload(200, 50, 1000, 32);
  }

  /** {@code --quick}: a short run for a first look (numbers are rougher). */
  public static CompareWorkload quick() {
    return new CompareWorkload(50, 10, 200, 32);
  }

  /** The arguments every peer harness takes. */
  java.util.List<String> harnessArguments() {
    return java.util.List.of(
        "--tasks",
        Integer.toString(latencyTasks),
        "--warmup",
        Integer.toString(warmup),
        "--throughput-tasks",
        Integer.toString(throughputTasks),
        "--in-flight",
        Integer.toString(inFlight));
  }
}
