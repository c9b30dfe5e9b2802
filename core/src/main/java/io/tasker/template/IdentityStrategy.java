package io.tasker.template;

import java.util.Locale;
import java.util.Optional;

/** How a task's identity hash is derived, which decides when two requests are duplicates. */
public enum IdentityStrategy {
  /** Template plus normalised context: the same request twice is one task. */
  STRICT,
  /** The caller must send an idempotency key, and it alone is the identity. */
  CALLER_PROVIDED,
  /** Every request creates a new task. */
  ALWAYS_UNIQUE;

  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<IdentityStrategy> fromYaml(String name) {
    for (IdentityStrategy strategy : values()) {
      if (strategy.yamlName().equals(name)) {
        return Optional.of(strategy);
      }
    }
    return Optional.empty();
  }
}
