package io.tasker.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A SHA-256 content hash of a template, the same for every spelling of the same content: key order,
 * YAML layout and comments, {@code key: ~} versus an absent key, {@code 1.0} versus {@code 1}, and
 * the aliases ({@code depends_on}, {@code step_type}, retry {@code limit}) do not change it.
 * Registering a template whose hash is already stored is a no-op.
 */
public final class TemplateHash {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private TemplateHash() {}

  /** Lowercase hex SHA-256 of the template's canonical document. */
  public static String of(TaskTemplate template) {
    return of(template.document());
  }

  /** Lowercase hex SHA-256 of a template document's canonical form. */
  public static String of(JsonNode document) {
    try {
      byte[] canonical = JSON.writeValueAsBytes(canonical(document));
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash a template", e);
    }
  }

  /** Aliases renamed to their canonical keys, keys sorted, nulls dropped, numbers normalised. */
  private static JsonNode canonical(JsonNode document) {
    JsonNode copy = document.deepCopy();
    for (JsonNode step : copy.path(TemplateKeys.STEPS)) {
      if (step instanceof ObjectNode object) {
        rename(object, TemplateKeys.DEPENDENCIES);
        rename(object, TemplateKeys.TYPE);
        renameRetry(object);
      }
    }
    for (JsonNode env : copy.path(TemplateKeys.ENVIRONMENTS)) {
      env.path(TemplateKeys.STEPS).forEach(TemplateHash::renameRetry);
    }
    return sorted(copy);
  }

  private static void renameRetry(JsonNode holder) {
    if (holder.get(TemplateKeys.RETRY) instanceof ObjectNode retry) {
      rename(retry, TemplateKeys.MAX_ATTEMPTS);
    }
  }

  /**
   * Moves an alias's value to the canonical key (the first of {@code keys}) when only it is set.
   */
  private static void rename(ObjectNode object, List<String> keys) {
    String canonical = keys.getFirst();
    for (String alias : keys.subList(1, keys.size())) {
      if (object.has(alias) && !object.has(canonical)) {
        object.set(canonical, object.remove(alias));
      }
    }
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      ObjectNode sorted = NODES.objectNode();
      node.properties().stream()
          .filter(entry -> !entry.getValue().isNull())
          .sorted(Map.Entry.comparingByKey())
          .forEach(entry -> sorted.set(entry.getKey(), sorted(entry.getValue())));
      return sorted;
    }
    if (node.isArray()) {
      var array = NODES.arrayNode();
      node.forEach(item -> array.add(sorted(item)));
      return array;
    }
    if (node instanceof NumericNode number && !number.isNaN()) {
      BigDecimal value = number.decimalValue().stripTrailingZeros();
      return value.scale() <= 0
          ? NODES.numberNode(value.toBigIntegerExact())
          : NODES.numberNode(value);
    }
    return node;
  }
}
