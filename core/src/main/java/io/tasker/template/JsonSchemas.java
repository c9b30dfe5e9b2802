package io.tasker.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON Schema support over networknt: checks a schema against its meta-schema, compiles it, and
 * validates instances. Schemas without {@code $schema} are draft 2020-12, as in tasker-core. Remote
 * {@code $ref}s are never fetched (networknt 2.x does not fetch by default), so a schema cannot
 * make registration or task creation wait on the network.
 */
final class JsonSchemas {
  private static final JsonSchemas SHARED = new JsonSchemas();

  private final SchemaRegistry registry;
  private final Map<SpecificationVersion, Schema> metaSchemas = new ConcurrentHashMap<>();

  private JsonSchemas() {
    // JSON paths ($.a.b) name context values the way users write them; Locale.ROOT keeps
    // messages in English whatever the JVM's default locale is.
    var config =
        SchemaRegistryConfig.builder().pathType(PathType.JSON_PATH).locale(Locale.ROOT).build();
    registry =
        SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12, builder -> builder.schemaRegistryConfig(config));
  }

  static JsonSchemas shared() {
    return SHARED;
  }

  /**
   * Why {@code schema} is not a usable JSON Schema, one line per offending location; empty when it
   * is usable.
   */
  List<String> problems(JsonNode schema) {
    if (!schema.isObject() && !schema.isBoolean()) {
      return List.of("must be a mapping or a boolean (got " + Problems.describe(schema) + ")");
    }
    JsonNode dialect = schema.get("$schema");
    var version = SpecificationVersion.fromSchemaNode(schema);
    if (dialect != null && version.isEmpty()) {
      return List.of("unsupported $schema " + dialect);
    }
    Schema meta =
        metaSchemas.computeIfAbsent(
            version.orElse(SpecificationVersion.DRAFT_2020_12),
            v -> registry.getSchema(SchemaLocation.of(v.getDialectId())));
    // anyOf branches report several errors for one value; the first is the most telling
    Map<String, String> byLocation = new LinkedHashMap<>();
    for (var error : meta.validate(schema)) {
      byLocation.putIfAbsent(error.getInstanceLocation().toString(), error.getMessage());
    }
    List<String> problems = new ArrayList<>();
    byLocation.forEach((location, message) -> problems.add(location + ": " + message));
    if (problems.isEmpty()) {
      try {
        compile(schema);
      } catch (SchemaException e) {
        // a bad regex's message goes on to draw the pattern over several lines
        problems.add(e.getMessage().lines().findFirst().orElse("cannot be compiled"));
      }
    }
    return problems;
  }

  /** Records a problem at {@code parentPath.key} for each way its JSON Schema is unusable. */
  void check(JsonNode parent, String parentPath, String key, Problems problems) {
    JsonNode schema = TemplateKeys.value(parent, key);
    if (schema != null) {
      String path = Problems.path(parentPath, key);
      problems(schema).forEach(p -> problems.add(path, "invalid JSON Schema: " + p));
    }
  }

  /** Compiles a schema, resolving every {@code $ref} now rather than at first use. */
  Schema compile(JsonNode schema) {
    Schema compiled = registry.getSchema(schema);
    compiled.initializeValidators();
    return compiled;
  }

  /** Validates {@code instance}; each problem's path is a JSON path such as {@code $.amount}. */
  static List<TemplateProblem> validate(Schema schema, JsonNode instance) {
    return schema.validate(instance).stream()
        .map(e -> new TemplateProblem(e.getInstanceLocation().toString(), e.getMessage()))
        .toList();
  }
}
