package io.tasker.template;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which handler runs a step and how it is set up.
 *
 * @param callable the resolver's lookup key (a class path, a module path or a registered name)
 * @param method the entry point to invoke, or null for the default {@code call}
 * @param resolver a resolver to use directly instead of the resolver chain, or null
 * @param initialization handler configuration, always a JSON object (empty when absent); treat it
 *     as read-only
 */
public record HandlerSpec(
    String callable, String method, String resolver, JsonNode initialization) {

  /** The method to invoke: {@code method}, or {@code call} when none is named. */
  public String effectiveMethod() {
    return method == null ? "call" : method;
  }
}
