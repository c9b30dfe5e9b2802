package io.tasker.bench;

import io.tasker.db.DatabaseUrl;

/**
 * One row group of {@code tasker bench compare}: an engine that runs the {@link CompareWorkload} on
 * a fresh database of its own: tasker with Java handlers, tasker with handlers in another language,
 * or a peer's harness process.
 */
public sealed interface ComparedEngine permits TaskerJavaEngine, TaskerFfiEngine, PeerHarness {
  /** Display name, also the {@code engine} field of the JSON. */
  String name();

  /** Short lower-case label, used in database names and {@code --engines}. */
  String label();

  /** Runs the workload on {@code database} (fresh and empty). Never throws for engine failures. */
  EngineOutcome run(DatabaseUrl database, CompareWorkload workload);
}
