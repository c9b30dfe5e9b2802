package io.tasker.template;

import java.util.Locale;
import java.util.Optional;

/** What kind of step a template step is; written in YAML in snake_case. */
public enum StepType {
  STANDARD,
  /** Creates, at run time, the subset of its declared children its handler names. */
  DECISION,
  /** Waits only for those of its declared parents that were actually created. */
  DEFERRED_CONVERGENCE,
  /** Splits work into cursor ranges and creates one batch_worker instance per range. */
  BATCHABLE,
  /** A template instantiated by a batchable parent, never created directly. */
  BATCH_WORKER;

  /** The YAML spelling, e.g. {@code deferred_convergence}. */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses the YAML spelling; empty when the name is not a step type. */
  public static Optional<StepType> fromYaml(String name) {
    for (StepType type : values()) {
      if (type.yamlName().equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
