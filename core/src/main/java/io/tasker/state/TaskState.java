package io.tasker.state;

import java.util.Locale;

/**
 * The 12 task states. The legal moves are {@link Transitions#TASK}; the database enforces them too.
 */
public enum TaskState {
  PENDING,
  INITIALIZING,
  ENQUEUING_STEPS,
  STEPS_IN_PROCESS,
  EVALUATING_RESULTS,
  WAITING_FOR_DEPENDENCIES,
  WAITING_FOR_RETRY,
  BLOCKED_BY_FAILURES,
  COMPLETE,
  ERROR,
  CANCELLED,
  RESOLVED_MANUALLY;

  /** The snake_case name used in the database, JSON and the CLI. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TaskState fromWire(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }

  public boolean terminal() {
    return this == COMPLETE || this == ERROR || this == CANCELLED || this == RESOLVED_MANUALLY;
  }
}
