package io.tasker.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates a task context against its template's {@code input_schema}. Compiled schemas are cached
 * by schema content, so each template's schema is compiled once however often its tasks are created
 * or the template is re-read. Thread-safe.
 */
public final class ContextValidator {
  /** More distinct schemas than this means templates churn; start over rather than grow. */
  private static final int MAX_CACHED_SCHEMAS = 1024;

  private final JsonSchemas schemas = JsonSchemas.shared();
  private final Map<JsonNode, Schema> compiled = new ConcurrentHashMap<>();

  /**
   * Every mismatch between {@code context} and the template's input_schema, each with a JSON path
   * such as {@code $.even_number}; empty when it matches or the template has no input_schema. A
   * null context is validated as an empty object.
   */
  public List<TemplateProblem> check(TaskTemplate template, JsonNode context) {
    JsonNode inputSchema = template.inputSchema();
    if (inputSchema == null) {
      return List.of();
    }
    JsonNode instance = context == null ? JsonNodeFactory.instance.objectNode() : context;
    return JsonSchemas.validate(schema(template, inputSchema), instance);
  }

  /**
   * Throws unless {@code context} matches the template's input_schema.
   *
   * @throws ContextValidationException listing every mismatch
   */
  public void validate(TaskTemplate template, JsonNode context) {
    List<TemplateProblem> problems = check(template, context);
    if (!problems.isEmpty()) {
      throw new ContextValidationException(template.key(), problems);
    }
  }

  /** How many compiled schemas are cached (for tests). */
  int cachedSchemas() {
    return compiled.size();
  }

  private Schema schema(TaskTemplate template, JsonNode inputSchema) {
    Schema schema = compiled.get(inputSchema);
    if (schema != null) {
      return schema;
    }
    try {
      schema = schemas.compile(inputSchema);
    } catch (SchemaException e) {
      // parsing rejects such schemas; reaching this means a template bypassed TemplateParser
      throw new TemplateException(
          TemplateException.INVALID_TEMPLATE,
          template.key() + ": input_schema: invalid JSON Schema: " + e.getMessage(),
          e);
    }
    if (compiled.size() >= MAX_CACHED_SCHEMAS) {
      compiled.clear();
    }
    compiled.put(inputSchema, schema);
    return schema;
  }
}
