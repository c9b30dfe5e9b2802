package io.tasker.bench;

import io.tasker.db.DatabaseUrl;

/**
 * One row group of {@code tasker bench compare}: an engine that runs the {@link CompareWorkload} on
 * a fresh database of its own. Tasker with FFI handlers (Python, Ruby, TypeScript) is meant to
 * become a further implementation, a harness process like {@link PeerHarness}.
 */
public sealed interface ComparedEngine permits TaskerJavaEngine, PeerHarness {
  /** Display name, also the {@code engine} field of the JSON. */
  String name();

  /** Short lower-case label, used in database names and {@code --engines}. */
  String label();

  /** Runs the workload on {@code database} (fresh and empty). Never throws for engine failures. */
  EngineOutcome run(DatabaseUrl database, CompareWorkload workload);
}
