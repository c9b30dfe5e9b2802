package io.tasker.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.SequencedSet;

/**
 * Collects problems, and reads typed values while recording why a value is unusable. Each reader
 * returns null when the value is absent or wrong, so checks continue and every problem is found.
 */
final class Problems {
  private final SequencedSet<TemplateProblem> found = new LinkedHashSet<>();

  void add(String path, String message) {
    found.add(new TemplateProblem(path, message));
  }

  List<TemplateProblem> list() {
    return new ArrayList<>(found);
  }

  static String path(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  /** A non-empty string; other scalars (numbers, booleans) are rejected, never converted. */
  String string(JsonNode parent, String parentPath, String key, boolean required) {
    JsonNode value = present(parent, parentPath, key, required);
    if (value == null) {
      return null;
    }
    String path = path(parentPath, key);
    if (!value.isTextual()) {
      add(path, "must be a string (got " + describe(value) + ")");
      return null;
    }
    if (value.textValue().isBlank()) {
      add(path, "must not be empty");
      return null;
    }
    return value.textValue();
  }

  /** Free text (a description): any string, empty included. */
  void text(JsonNode parent, String parentPath, String key) {
    JsonNode value = present(parent, parentPath, key, false);
    if (value != null && !value.isTextual()) {
      add(path(parentPath, key), "must be a string (got " + describe(value) + ")");
    }
  }

  /** A string that must be one of {@code allowed}. */
  String oneOf(JsonNode parent, String parentPath, String key, List<String> allowed) {
    String value = string(parent, parentPath, key, false);
    if (value != null && !allowed.contains(value)) {
      add(
          path(parentPath, key),
          "must be one of " + String.join(", ", allowed) + " (got '" + value + "')");
      return null;
    }
    return value;
  }

  /** A whole number within {@code [min, max]}. */
  Long integer(JsonNode parent, String parentPath, String key, long min, long max) {
    JsonNode value = present(parent, parentPath, key, false);
    if (value == null) {
      return null;
    }
    String path = path(parentPath, key);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      add(path, "must be an integer (got " + describe(value) + ")");
      return null;
    }
    long number = value.longValue();
    if (number < min) {
      add(path, "must be >= " + min + " (got " + number + ")");
      return null;
    }
    if (number > max) {
      add(path, "must be <= " + max + " (got " + number + ")");
      return null;
    }
    return number;
  }

  Boolean bool(JsonNode parent, String parentPath, String key) {
    JsonNode value = present(parent, parentPath, key, false);
    if (value != null && !value.isBoolean()) {
      add(path(parentPath, key), "must be true or false (got " + describe(value) + ")");
      return null;
    }
    return value == null ? null : value.booleanValue();
  }

  /** A mapping; returns null (after recording why) when absent-but-required or not a mapping. */
  JsonNode mapping(JsonNode parent, String parentPath, String key, boolean required) {
    JsonNode value = present(parent, parentPath, key, required);
    if (value != null && !value.isObject()) {
      add(path(parentPath, key), "must be a mapping (got " + describe(value) + ")");
      return null;
    }
    return value;
  }

  JsonNode list(JsonNode parent, String parentPath, String key, boolean required) {
    JsonNode value = present(parent, parentPath, key, required);
    if (value != null && !value.isArray()) {
      add(path(parentPath, key), "must be a list (got " + describe(value) + ")");
      return null;
    }
    return value;
  }

  /**
   * Which of an alias group is used, e.g. {@code dependencies} or {@code depends_on}; records a
   * problem and returns null when both are given.
   */
  String aliasKey(JsonNode object, String path, List<String> keys) {
    List<String> given = keys.stream().filter(k -> TemplateKeys.value(object, k) != null).toList();
    if (given.size() > 1) {
      add(path, "both '" + String.join("' and '", given) + "' given; use one");
      return null;
    }
    return given.isEmpty() ? keys.getFirst() : given.getFirst();
  }

  private JsonNode present(JsonNode parent, String parentPath, String key, boolean required) {
    JsonNode value = TemplateKeys.value(parent, key);
    if (value == null && required) {
      add(path(parentPath, key), "required");
    }
    return value;
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 37) + "...";
  }

  /** A value's YAML kind, with the value itself when it is short enough to help. */
  static String describe(JsonNode value) {
    return switch (value.getNodeType()) {
      case OBJECT -> "a mapping";
      case ARRAY -> "a list";
      case STRING -> "string '" + abbreviate(value.textValue()) + "'";
      case NUMBER -> "number " + value.asText();
      case BOOLEAN -> "boolean " + value.asText();
      default -> value.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }
}
