package io.tasker.state;

import java.util.Locale;

/** The 10 workflow step states. The legal moves are {@link Transitions#STEP}. */
public enum StepState {
  PENDING,
  ENQUEUED,
  IN_PROGRESS,
  ENQUEUED_FOR_ORCHESTRATION,
  ENQUEUED_AS_ERROR_FOR_ORCHESTRATION,
  WAITING_FOR_RETRY,
  COMPLETE,
  ERROR,
  CANCELLED,
  RESOLVED_MANUALLY;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static StepState fromWire(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }

  public boolean terminal() {
    return this == COMPLETE || this == ERROR || this == CANCELLED || this == RESOLVED_MANUALLY;
  }

  /** Whether a child may run: its parents must be complete or resolved by an operator. */
  public boolean satisfiesDependency() {
    return this == COMPLETE || this == RESOLVED_MANUALLY;
  }
}
