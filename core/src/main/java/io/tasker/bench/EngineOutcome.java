package io.tasker.bench;

import java.util.List;
import java.util.Map;

/** What one engine of {@code tasker bench compare} produced: numbers, or why there are none. */
public sealed interface EngineOutcome {
  /** The engine's display name, e.g. {@code tasker (Java handlers)}. */
  String engine();

  /** One shape's numbers for one engine. */
  record ShapeResult(
      String shape,
      int steps,
      int latencyTasks,
      double p50Ms,
      double p95Ms,
      double p99Ms,
      int throughputTasks,
      int inFlight,
      double stepsPerSecond,
      double commitsPerStep) {}

  /**
   * The engine ran every shape.
   *
   * @param settings the engine's settings that matter for the numbers (poll intervals etc.)
   */
  record Measured(
      String engine,
      String version,
      String runtime,
      Map<String, Object> settings,
      List<ShapeResult> results)
      implements EngineOutcome {
    public Measured {
      // keeps the engine's order for the printed JSON
      settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
      results = List.copyOf(results);
    }
  }

  /** The engine could not be measured (not installed, failed, bad output); the others still are. */
  record Failed(String engine, String reason) implements EngineOutcome {}
}
