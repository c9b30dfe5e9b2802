package io.tasker.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Locale;

/**
 * An operator action on a step ({@code PATCH …/workflow_steps/{step}}, {@code step.update}).
 *
 * @param result required for {@link Action#COMPLETE_MANUALLY}, refused otherwise
 */
public record StepUpdate(Action action, JsonNode result, String reason, String operator) {
  /** The operator actions, by their wire names. */
  public enum Action {
    RESET_FOR_RETRY,
    RESOLVE_MANUALLY,
    COMPLETE_MANUALLY;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Action fromWire(String s, String path) {
      for (Action a : values()) {
        if (a.wire().equals(s)) {
          return a;
        }
      }
      throw ClientException.invalid(
          path,
          "action must be one of "
              + String.join(", ", Arrays.stream(values()).map(Action::wire).toList())
              + " (got "
              + (s == null ? "nothing" : "'" + s + "'")
              + ")");
    }
  }

  /** The reason recorded with the transition, naming the operator when there is one. */
  public String describeReason() {
    if (operator == null || operator.isBlank()) {
      return reason;
    }
    return reason == null ? "by " + operator : reason + " (by " + operator + ")";
  }

  public StepUpdate {
    if (action == null) {
      throw ClientException.invalid("$.action", "action is required");
    }
    boolean hasResult = result != null && !result.isMissingNode();
    if (action == Action.COMPLETE_MANUALLY && !hasResult) {
      throw ClientException.invalid("$.result", "complete_manually needs a result");
    }
    if (action != Action.COMPLETE_MANUALLY && hasResult) {
      throw ClientException.invalid(
          "$.result", "only complete_manually takes a result (action " + action.wire() + ")");
    }
  }
}
