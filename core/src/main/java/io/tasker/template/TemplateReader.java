package io.tasker.template;

import static io.tasker.template.TemplateKeys.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/** Maps a validated template document onto the records; validation has ruled out bad shapes. */
final class TemplateReader {
  private TemplateReader() {}

  static TaskTemplate read(JsonNode document) {
    List<StepTemplate> steps = new ArrayList<>();
    document.get(TemplateKeys.STEPS).forEach(step -> steps.add(step(step)));
    String identity = text(document, "identity_strategy");
    return new TaskTemplate(
        text(document, "name"),
        text(document, "namespace_name"),
        text(document, "version"),
        text(document, "description"),
        value(document, "metadata"),
        value(document, "task_handler"),
        value(document, "system_dependencies"),
        list(document, "domain_events"),
        value(document, "input_schema"),
        steps,
        value(document, "lifecycle"),
        identity == null
            ? IdentityStrategy.STRICT
            : IdentityStrategy.fromYaml(identity).orElseThrow(),
        object(document, TemplateKeys.ENVIRONMENTS),
        document);
  }

  private static StepTemplate step(JsonNode step) {
    String type = text(value(step, TemplateKeys.TYPE));
    return new StepTemplate(
        text(step, TemplateKeys.NAME),
        text(step, "description"),
        type == null ? StepType.STANDARD : StepType.fromYaml(type).orElseThrow(),
        handler(value(step, TemplateKeys.HANDLER)),
        list(step, TemplateKeys.DEPENDENCIES).stream().map(JsonNode::textValue).toList(),
        retry(value(step, TemplateKeys.RETRY)),
        integer(step, TemplateKeys.TIMEOUT_SECONDS),
        list(step, "publishes_events"),
        batchConfig(value(step, TemplateKeys.BATCH_CONFIG)),
        value(step, "result_schema"),
        value(step, "composition"));
  }

  private static HandlerSpec handler(JsonNode handler) {
    return new HandlerSpec(
        text(handler, "callable"),
        text(handler, "method"),
        text(handler, "resolver"),
        object(handler, TemplateKeys.INITIALIZATION));
  }

  private static RetryPolicy retry(JsonNode retry) {
    RetryPolicy defaults = RetryPolicy.DEFAULT;
    if (retry == null) {
      return defaults;
    }
    JsonNode retryable = value(retry, "retryable");
    Integer maxAttempts = integer(value(retry, TemplateKeys.MAX_ATTEMPTS));
    String backoff = text(retry, "backoff");
    JsonNode base = value(retry, TemplateKeys.BACKOFF_BASE_MS);
    JsonNode max = value(retry, TemplateKeys.MAX_BACKOFF_MS);
    return new RetryPolicy(
        retryable == null ? defaults.retryable() : retryable.booleanValue(),
        maxAttempts == null ? defaults.maxAttempts() : maxAttempts,
        backoff == null ? defaults.backoff() : backoff,
        base == null ? defaults.backoffBaseMs() : base.longValue(),
        max == null ? defaults.maxBackoffMs() : max.longValue());
  }

  private static BatchConfig batchConfig(JsonNode config) {
    if (config == null) {
      return null;
    }
    Integer batchSize = integer(config, "batch_size");
    Integer parallelism = integer(config, "parallelism");
    String cursorField = text(config, "cursor_field");
    String failureStrategy = text(config, "failure_strategy");
    return new BatchConfig(
        batchSize == null ? BatchConfig.DEFAULT_BATCH_SIZE : batchSize,
        parallelism == null ? BatchConfig.DEFAULT_PARALLELISM : parallelism,
        cursorField == null ? BatchConfig.DEFAULT_CURSOR_FIELD : cursorField,
        text(config, "worker_template"),
        failureStrategy == null ? BatchConfig.DEFAULT_FAILURE_STRATEGY : failureStrategy);
  }

  private static String text(JsonNode object, String key) {
    return text(value(object, key));
  }

  private static String text(JsonNode value) {
    return value == null ? null : value.textValue();
  }

  private static Integer integer(JsonNode object, String key) {
    return integer(value(object, key));
  }

  private static Integer integer(JsonNode value) {
    return value == null ? null : value.intValue();
  }

  private static List<JsonNode> list(JsonNode object, String key) {
    return list(value(object, key));
  }

  private static List<JsonNode> list(JsonNode object, List<String> keys) {
    return list(value(object, keys));
  }

  private static List<JsonNode> list(JsonNode value) {
    List<JsonNode> items = new ArrayList<>();
    if (value != null) {
      value.forEach(items::add);
    }
    return items;
  }

  /** An object value, or a new empty object when absent, so callers never null-check. */
  private static JsonNode object(JsonNode object, String key) {
    JsonNode value = value(object, key);
    return value == null ? JsonNodeFactory.instance.objectNode() : value;
  }
}
