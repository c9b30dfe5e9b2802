package io.tasker.ffi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Strict reading of the ABI's input documents: every mismatch is an {@link AbiException} with
 * {@link Status#INVALID} naming the JSON path ({@code $.result.error.retryable}).
 */
final class Documents {
  private Documents() {}

  /** Parses JSON text (malformed or truncated: where it broke). */
  static JsonNode parse(byte[] json, String what) {
    if (json.length == 0) {
      throw new AbiException(Status.INVALID, what + " is empty", "$");
    }
    try {
      JsonNode n = Json.MAPPER.readTree(json);
      if (n == null || n.isMissingNode()) {
        throw new AbiException(Status.INVALID, what + " is empty", "$");
      }
      return n;
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      String where = loc == null ? "" : " (at byte " + loc.getByteOffset() + ")";
      throw new AbiException(
          Status.INVALID, what + " is not valid JSON" + where + ": " + e.getOriginalMessage(), "$");
    } catch (IOException e) {
      throw new AbiException(Status.INVALID, what + " cannot be read: " + e.getMessage(), "$");
    }
  }

  /** The bytes as UTF-8 text; malformed UTF-8 is {@link Status#INVALID}. */
  static String utf8(byte[] bytes, String what) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new AbiException(Status.INVALID, what + " is not valid UTF-8", "$");
    }
  }

  static JsonNode parseObject(byte[] json, String what) {
    JsonNode n = parse(json, what);
    if (!n.isObject()) {
      throw AbiException.invalid("$", what + " must be a JSON object");
    }
    return n;
  }

  static String child(String path, String key) {
    return path + "." + key;
  }

  static void onlyKeys(JsonNode obj, String path, Set<String> allowed) {
    for (String k : (Iterable<String>) obj::fieldNames) {
      if (!allowed.contains(k)) {
        throw AbiException.invalid(
            child(path, k), "unknown key (allowed: " + String.join(", ", sorted(allowed)) + ")");
      }
    }
  }

  private static List<String> sorted(Set<String> s) {
    List<String> l = new ArrayList<>(s);
    l.sort(null);
    return l;
  }

  static JsonNode required(JsonNode obj, String path, String key) {
    JsonNode v = obj.get(key);
    if (v == null) {
      throw AbiException.invalid(child(path, key), "required");
    }
    return v;
  }

  static String requiredText(JsonNode obj, String path, String key) {
    JsonNode v = required(obj, path, key);
    if (!v.isTextual()) {
      throw AbiException.invalid(child(path, key), "expected a string, got " + kind(v));
    }
    return v.asText();
  }

  /** A string, or null when absent or JSON null. */
  static String optionalText(JsonNode obj, String path, String key) {
    JsonNode v = obj.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw AbiException.invalid(child(path, key), "expected a string, got " + kind(v));
    }
    return v.asText();
  }

  static boolean requiredBoolean(JsonNode obj, String path, String key) {
    JsonNode v = required(obj, path, key);
    if (!v.isBoolean()) {
      throw AbiException.invalid(child(path, key), "expected true or false, got " + kind(v));
    }
    return v.asBoolean();
  }

  static Boolean optionalBoolean(JsonNode obj, String path, String key) {
    JsonNode v = obj.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw AbiException.invalid(child(path, key), "expected true or false, got " + kind(v));
    }
    return v.asBoolean();
  }

  /** An integer in [min, max], or {@code dflt} when absent or null. */
  static long optionalLong(JsonNode obj, String path, String key, long min, long max, long dflt) {
    JsonNode v = obj.get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw AbiException.invalid(child(path, key), "expected an integer, got " + kind(v));
    }
    long n = v.asLong();
    if (n < min || n > max) {
      throw AbiException.invalid(
          child(path, key), "must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }

  /** A list of strings, or empty when absent or null. */
  static List<String> optionalTextList(JsonNode obj, String path, String key) {
    JsonNode v = obj.get(key);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw AbiException.invalid(child(path, key), "expected an array of strings, got " + kind(v));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual() || v.get(i).asText().isBlank()) {
        throw AbiException.invalid(
            child(path, key) + "[" + i + "]", "expected a non-empty string, got " + kind(v.get(i)));
      }
      out.add(v.get(i).asText());
    }
    return out;
  }

  static String kind(JsonNode v) {
    return switch (v.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      default -> v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
