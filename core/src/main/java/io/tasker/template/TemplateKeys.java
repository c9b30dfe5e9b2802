package io.tasker.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Key spellings shared by the reader, the validator, the hash and the override merge. */
final class TemplateKeys {
  static final String STEPS = "steps";
  static final String NAME = "name";
  static final String HANDLER = "handler";
  static final String INITIALIZATION = "initialization";
  static final String RETRY = "retry";
  static final String TIMEOUT_SECONDS = "timeout_seconds";
  static final String BATCH_CONFIG = "batch_config";
  static final String ENVIRONMENTS = "environments";

  /** Step keys: the canonical spelling first, then its tasker-core alias. */
  static final List<String> DEPENDENCIES = List.of("dependencies", "depends_on");

  static final List<String> TYPE = List.of("type", "step_type");

  /** Retry keys: {@code limit} is accepted for {@code max_attempts}. */
  static final List<String> MAX_ATTEMPTS = List.of("max_attempts", "limit");

  static final String BACKOFF_BASE_MS = "backoff_base_ms";
  static final String MAX_BACKOFF_MS = "max_backoff_ms";

  /** An environment override named {@code ALL} applies to every step. */
  static final String ALL_STEPS = "ALL";

  static final List<String> BACKOFFS = List.of("none", "linear", "exponential", "fibonacci");
  static final List<String> FAILURE_STRATEGIES =
      List.of("continue_on_failure", "fail_fast", "isolate");

  private TemplateKeys() {}

  /** The value of {@code key}, or null when it is missing or YAML null ({@code key: ~}). */
  static JsonNode value(JsonNode object, String key) {
    JsonNode value = object == null ? null : object.get(key);
    return value == null || value.isNull() ? null : value;
  }

  /** The value of the first of {@code keys} that has one; validation rejects giving two. */
  static JsonNode value(JsonNode object, List<String> keys) {
    return keys.stream().map(k -> value(object, k)).filter(v -> v != null).findFirst().orElse(null);
  }
}
