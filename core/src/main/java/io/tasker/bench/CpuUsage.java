package io.tasker.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time that groups of local processes used over a window, in cores (1.0: one core busy for the
 * whole window), read from the operating system ({@link ProcessHandle.Info#totalCpuDuration}). It
 * answers "CPU-bound where?" for a point of {@code tasker bench scale}: orchestrators, workers, the
 * load generator, or PostgreSQL. Processes it cannot see (a remote database) count as zero.
 */
final class CpuUsage {
  private final Map<String, List<Long>> pidsByGroup;
  private final Map<Long, Duration> before = new LinkedHashMap<>();
  private final long startNanos;

  private CpuUsage(Map<String, List<Long>> pidsByGroup) {
    this.pidsByGroup = pidsByGroup;
    pidsByGroup.values().forEach(pids -> pids.forEach(p -> before.put(p, cpu(p).orElse(null))));
    this.startNanos = System.nanoTime();
  }

  /** Starts the window for these processes (group name → pids). */
  static CpuUsage start(Map<String, List<Long>> pidsByGroup) {
    return new CpuUsage(Map.copyOf(pidsByGroup));
  }

  /** Cores each group used since {@link #start}, in the order the groups were given. */
  Map<String, Double> stop(List<String> order) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    Map<String, Double> cores = new LinkedHashMap<>();
    for (String group : order) {
      double used = 0;
      for (long pid : pidsByGroup.getOrDefault(group, List.of())) {
        Duration start = before.get(pid);
        Optional<Duration> end = cpu(pid);
        if (start != null && end.isPresent()) {
          used += end.get().minus(start).toNanos() / 1e9;
        }
      }
      cores.put(group, Math.round(used / seconds * 100) / 100.0);
    }
    return cores;
  }

  private static Optional<Duration> cpu(long pid) {
    return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration());
  }
}
