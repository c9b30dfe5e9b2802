package io.tasker.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads the arguments of one request (a client op's {@code args}, a REST body or query) with
 * precise errors: every problem names its JSON path, and keys nobody read are refused.
 */
public final class OpArgs {
  private final ObjectNode args;
  private final String base;
  private final List<String> known = new ArrayList<>();

  /**
   * @param base the path of {@code args} in the request, e.g. {@code $.args} or {@code $}
   */
  public OpArgs(JsonNode args, String base) {
    if (args == null || args.isNull() || args.isMissingNode()) {
      this.args = Json.object();
    } else if (args instanceof ObjectNode o) {
      this.args = o;
    } else {
      throw ClientException.invalid(base, "must be a JSON object (got " + args.getNodeType() + ")");
    }
    this.base = base;
  }

  public String path(String key) {
    return base + "." + key;
  }

  private JsonNode get(String key) {
    known.add(key);
    JsonNode v = args.get(key);
    return v == null || v.isNull() ? null : v;
  }

  public String text(String key) {
    return optText(key).orElseThrow(() -> ClientException.invalid(path(key), key + " is required"));
  }

  public Optional<String> optText(String key) {
    JsonNode v = get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw ClientException.invalid(
          path(key), key + " must be a string (got " + v.getNodeType() + ")");
    }
    return Optional.of(v.asText());
  }

  public UUID uuid(String key) {
    return parseUuid(text(key), path(key));
  }

  public static UUID parseUuid(String s, String path) {
    try {
      if (s.length() == 36) {
        return UUID.fromString(s);
      }
    } catch (IllegalArgumentException e) {
      // fall through to the error below
    }
    throw ClientException.invalid(path, "not a UUID: '" + s + "'");
  }

  public int integer(String key, int defaultValue) {
    JsonNode v = get(key);
    if (v == null) {
      return defaultValue;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw ClientException.invalid(path(key), key + " must be an integer (got " + v + ")");
    }
    return v.intValue();
  }

  public long longValue(String key, long defaultValue) {
    JsonNode v = get(key);
    if (v == null) {
      return defaultValue;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw ClientException.invalid(path(key), key + " must be an integer (got " + v + ")");
    }
    return v.longValue();
  }

  public boolean bool(String key, boolean defaultValue) {
    JsonNode v = get(key);
    if (v == null) {
      return defaultValue;
    }
    if (!v.isBoolean()) {
      throw ClientException.invalid(path(key), key + " must be true or false (got " + v + ")");
    }
    return v.booleanValue();
  }

  /** Any JSON value; empty when absent or null. */
  public Optional<JsonNode> json(String key) {
    return Optional.ofNullable(get(key));
  }

  /** Refuses keys that no getter asked for, naming them and the accepted ones. */
  public void finish() {
    for (var name : (Iterable<String>) args::fieldNames) {
      if (!known.contains(name)) {
        throw ClientException.invalid(
            path(name),
            "unknown key '"
                + name
                + "'"
                + (known.isEmpty()
                    ? " (takes no arguments)"
                    : " (accepted: " + String.join(", ", known) + ")"));
      }
    }
  }
}
