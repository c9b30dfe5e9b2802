package io.tasker.template;

import static io.tasker.template.TemplateKeys.HANDLER;
import static io.tasker.template.TemplateKeys.INITIALIZATION;
import static io.tasker.template.TemplateKeys.NAME;
import static io.tasker.template.TemplateKeys.RETRY;
import static io.tasker.template.TemplateKeys.STEPS;
import static io.tasker.template.TemplateKeys.TIMEOUT_SECONDS;
import static io.tasker.template.TemplateKeys.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Applies {@code environments.<env>.steps[]} to a template document, in order, as tasker-core does:
 * an override named {@code ALL} applies to every step; {@code handler.initialization} keys are
 * merged over the step's, {@code timeout_seconds} replaces. Unlike tasker-core, which swaps in a
 * whole new retry block (resetting keys the override leaves out to their defaults), {@code retry}
 * keys are merged over the step's, so {@code retry: {max_attempts: 2}} changes only that.
 */
final class EnvironmentOverrides {
  private EnvironmentOverrides() {}

  /** A resolved copy of {@code document}, or the document itself when it has no such env. */
  static JsonNode apply(JsonNode document, String environment) {
    JsonNode overrides =
        value(value(value(document, TemplateKeys.ENVIRONMENTS), environment), STEPS);
    if (overrides == null) {
      return document;
    }
    JsonNode resolved = document.deepCopy();
    for (JsonNode override : overrides) {
      String target = override.path(NAME).asText();
      for (JsonNode step : resolved.path(STEPS)) {
        if (target.equals(TemplateKeys.ALL_STEPS) || target.equals(step.path(NAME).asText())) {
          applyTo((ObjectNode) step, override);
        }
      }
    }
    return resolved;
  }

  private static void applyTo(ObjectNode step, JsonNode override) {
    JsonNode initialization = value(value(override, HANDLER), INITIALIZATION);
    if (initialization != null) {
      ObjectNode handler = step.withObjectProperty(HANDLER);
      handler.withObjectProperty(INITIALIZATION).setAll((ObjectNode) initialization.deepCopy());
    }
    JsonNode timeout = value(override, TIMEOUT_SECONDS);
    if (timeout != null) {
      step.set(TIMEOUT_SECONDS, timeout.deepCopy());
    }
    JsonNode retry = value(override, RETRY);
    if (retry != null) {
      step.set(RETRY, mergeRetry(value(step, RETRY), retry));
    }
  }

  /** The override's retry keys over the step's; either spelling of max_attempts replaces both. */
  static ObjectNode mergeRetry(JsonNode stepRetry, JsonNode override) {
    ObjectNode merged =
        stepRetry != null && stepRetry.isObject()
            ? (ObjectNode) stepRetry.deepCopy()
            : JsonNodeFactory.instance.objectNode();
    for (var entry : override.properties()) {
      if (TemplateKeys.MAX_ATTEMPTS.contains(entry.getKey())) {
        TemplateKeys.MAX_ATTEMPTS.forEach(merged::remove);
      }
      merged.set(entry.getKey(), entry.getValue().deepCopy());
    }
    return merged;
  }
}
