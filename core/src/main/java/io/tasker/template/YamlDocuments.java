package io.tasker.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one YAML document into a JSON tree. SnakeYAML is used directly rather than through
 * Jackson's YAML module because Jackson reads an alias ({@code *defaults}) as the plain string
 * "defaults" instead of the anchored value; like tasker-core (serde_yaml) we resolve aliases, and
 * we reject duplicate keys and multi-document streams.
 */
final class YamlDocuments {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private YamlDocuments() {}

  /** The document as JSON (a null node when empty); malformed YAML is one problem. */
  static JsonNode read(String yaml, String source) {
    Object data;
    try {
      data = new Yaml(new JsonCompatibleConstructor()).load(yaml);
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String context = e.getContext() == null ? "" : e.getContext() + ": ";
      throw malformed(source, mark, context + e.getProblem(), e);
    } catch (YAMLException e) {
      throw new TemplateValidationException(
          source, List.of(new TemplateProblem("", "malformed YAML: " + e.getMessage())), e);
    }
    return toJson(data, Collections.newSetFromMap(new IdentityHashMap<>()), source);
  }

  private static TemplateValidationException malformed(
      String source, Mark mark, String problem, YAMLException cause) {
    String where =
        mark == null
            ? ""
            : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    return new TemplateValidationException(
        source, List.of(new TemplateProblem("", "malformed YAML" + where + ": " + problem)), cause);
  }

  private static JsonNode toJson(Object value, Set<Object> enclosing, String source) {
    return switch (value) {
      case null -> JSON.nullNode();
      case String s -> JSON.textNode(s);
      case Boolean b -> JSON.booleanNode(b);
      case Integer i -> JSON.numberNode(i);
      case Long l -> JSON.numberNode(l);
      case BigInteger b -> JSON.numberNode(b);
      case Double d -> JSON.numberNode(d);
      case byte[] bytes -> JSON.binaryNode(bytes);
      case Map<?, ?> map -> {
        enter(value, enclosing, source);
        ObjectNode object = JSON.objectNode();
        map.forEach((k, v) -> object.set(String.valueOf(k), toJson(v, enclosing, source)));
        enclosing.remove(value);
        yield object;
      }
      case Collection<?> items -> {
        enter(value, enclosing, source);
        ArrayNode array = JSON.arrayNode();
        items.forEach(item -> array.add(toJson(item, enclosing, source)));
        enclosing.remove(value);
        yield array;
      }
      default -> JSON.textNode(value.toString());
    };
  }

  /** An alias may repeat a node but not nest it inside itself: JSON has no cycles. */
  private static void enter(Object collection, Set<Object> enclosing, String source) {
    if (!enclosing.add(collection)) {
      throw new TemplateValidationException(
          source,
          List.of(new TemplateProblem("", "malformed YAML: an alias refers to its own parent")));
    }
  }

  /** SafeConstructor (no arbitrary classes), timestamps kept as text, duplicate keys rejected. */
  private static final class JsonCompatibleConstructor extends SafeConstructor {
    JsonCompatibleConstructor() {
      super(options());
      yamlConstructors.put(Tag.TIMESTAMP, new ConstructYamlStr());
    }

    private static LoaderOptions options() {
      var options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      return options;
    }
  }
}
