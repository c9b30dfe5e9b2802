package io.tasker.template;

import static io.tasker.template.TemplateKeys.BATCH_CONFIG;
import static io.tasker.template.TemplateKeys.HANDLER;
import static io.tasker.template.TemplateKeys.NAME;
import static io.tasker.template.TemplateKeys.RETRY;
import static io.tasker.template.TemplateKeys.STEPS;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.stream.Collectors;

/** Checks {@code steps[]}: each step's own keys, then the rules that span steps. */
final class StepChecks {
  private static final String STEP_TYPES =
      Arrays.stream(StepType.values()).map(StepType::yamlName).collect(Collectors.joining(", "));

  private final Problems problems;
  private final JsonSchemas schemas;

  /** What the cross-step rules need from one step; null fields were invalid and are reported. */
  private record Step(
      String path,
      String name,
      StepType type,
      String dependenciesKey,
      List<String> dependencies,
      String workerTemplate) {}

  StepChecks(Problems problems, JsonSchemas schemas) {
    this.problems = problems;
    this.schemas = schemas;
  }

  /** Checks every step; returns the step documents by name (first of a duplicate name wins). */
  SequencedMap<String, JsonNode> check(JsonNode document) {
    SequencedMap<String, JsonNode> byName = new LinkedHashMap<>();
    JsonNode steps = problems.list(document, "", STEPS, true);
    if (steps == null) {
      return byName;
    }
    if (steps.isEmpty()) {
      problems.add(STEPS, "must contain at least one step");
    }
    Map<String, Step> named = new LinkedHashMap<>();
    Map<String, String> firstPath = new LinkedHashMap<>();
    for (int i = 0; i < steps.size(); i++) {
      Step step = step(steps.get(i), "steps[" + i + "]");
      if (step == null || step.name() == null) {
        continue;
      }
      String first = firstPath.putIfAbsent(step.name(), step.path());
      if (first != null) {
        problems.add(
            step.path() + ".name",
            "duplicate step name '" + step.name() + "' (first used by " + first + ")");
      } else {
        named.put(step.name(), step);
        byName.put(step.name(), steps.get(i));
      }
    }
    crossStepRules(named);
    return byName;
  }

  private Step step(JsonNode node, String path) {
    if (!node.isObject()) {
      problems.add(path, "must be a mapping (got " + Problems.describe(node) + ")");
      return null;
    }
    String name = problems.string(node, path, NAME, true);
    problems.text(node, path, "description");
    StepType type = type(node, path);
    JsonNode handler = problems.mapping(node, path, HANDLER, true);
    if (handler != null) {
      String handlerPath = path + "." + HANDLER;
      problems.string(handler, handlerPath, "callable", true);
      problems.string(handler, handlerPath, "method", false);
      problems.string(handler, handlerPath, "resolver", false);
      problems.mapping(handler, handlerPath, TemplateKeys.INITIALIZATION, false);
    }
    String dependenciesKey = problems.aliasKey(node, path, TemplateKeys.DEPENDENCIES);
    List<String> dependencies = dependencies(node, path, dependenciesKey);
    if (dependenciesKey == null) {
      dependenciesKey = TemplateKeys.DEPENDENCIES.getFirst();
    }
    JsonNode retry = problems.mapping(node, path, RETRY, false);
    if (retry != null) {
      retryFields(retry, path + "." + RETRY, problems);
      retryRange(retry, path + "." + RETRY, problems);
    }
    problems.integer(node, path, TemplateKeys.TIMEOUT_SECONDS, 1, Integer.MAX_VALUE);
    events(node, path);
    String workerTemplate = batchConfig(node, path);
    schemas.check(node, path, "result_schema", problems);
    return new Step(path, name, type, dependenciesKey, dependencies, workerTemplate);
  }

  private StepType type(JsonNode node, String path) {
    String key = problems.aliasKey(node, path, TemplateKeys.TYPE);
    if (key == null) {
      return null;
    }
    String name = problems.string(node, path, key, false);
    if (name == null) {
      return TemplateKeys.value(node, key) == null ? StepType.STANDARD : null;
    }
    return StepType.fromYaml(name)
        .orElseGet(
            () -> {
              problems.add(
                  Problems.path(path, key),
                  "unknown step type '" + name + "' (expected one of " + STEP_TYPES + ")");
              return null;
            });
  }

  private List<String> dependencies(JsonNode node, String path, String key) {
    List<String> names = new ArrayList<>();
    JsonNode list = key == null ? null : problems.list(node, path, key, false);
    if (list == null) {
      return names;
    }
    String listPath = Problems.path(path, key);
    for (int j = 0; j < list.size(); j++) {
      JsonNode item = list.get(j);
      if (!item.isTextual() || item.textValue().isBlank()) {
        problems.add(
            listPath + "[" + j + "]", "must be a step name (got " + Problems.describe(item) + ")");
      } else if (names.contains(item.textValue())) {
        problems.add(listPath, "'" + item.textValue() + "' is listed twice");
      } else {
        names.add(item.textValue());
      }
    }
    return names;
  }

  private void events(JsonNode node, String path) {
    JsonNode events = problems.list(node, path, "publishes_events", false);
    for (int j = 0; events != null && j < events.size(); j++) {
      String eventPath = path + ".publishes_events[" + j + "]";
      JsonNode event = events.get(j);
      if (!event.isObject()) {
        problems.add(eventPath, "must be a mapping (got " + Problems.describe(event) + ")");
        continue;
      }
      problems.string(event, eventPath, NAME, true);
      schemas.check(event, eventPath, "schema", problems);
    }
  }

  /** Checks {@code batch_config}; returns its worker_template, checked later against steps. */
  private String batchConfig(JsonNode node, String path) {
    JsonNode config = problems.mapping(node, path, BATCH_CONFIG, false);
    if (config == null) {
      return null;
    }
    String configPath = path + "." + BATCH_CONFIG;
    problems.integer(config, configPath, "batch_size", 1, Integer.MAX_VALUE);
    problems.integer(config, configPath, "parallelism", 1, Integer.MAX_VALUE);
    problems.string(config, configPath, "cursor_field", false);
    problems.oneOf(config, configPath, "failure_strategy", TemplateKeys.FAILURE_STRATEGIES);
    return problems.string(config, configPath, "worker_template", false);
  }

  private void crossStepRules(Map<String, Step> named) {
    SequencedMap<String, List<String>> graph = new LinkedHashMap<>();
    for (Step step : named.values()) {
      String dependenciesPath = Problems.path(step.path(), step.dependenciesKey());
      step.dependencies().stream()
          .filter(dep -> !named.containsKey(dep))
          .forEach(dep -> problems.add(dependenciesPath, "unknown step '" + dep + "'"));
      graph.put(step.name(), step.dependencies());
    }
    for (List<String> cycle : DependencyGraph.cycles(graph)) {
      problems.add(STEPS, "cycle " + String.join(" -> ", cycle));
    }
    for (Step step : named.values()) {
      if (step.type() == StepType.BATCH_WORKER
          && step.dependencies().stream()
              .noneMatch(dep -> typeOf(named, dep) == StepType.BATCHABLE)) {
        problems.add(
            Problems.path(step.path(), step.dependenciesKey()),
            "a batch_worker step must depend on a batchable step");
      }
      if (step.type() == StepType.DECISION
          && named.values().stream().noneMatch(s -> s.dependencies().contains(step.name()))) {
        problems.add(
            step.path(), "a decision step must have dependent steps (the steps it may create)");
      }
      if (step.workerTemplate() != null) {
        workerTemplate(step, named);
      }
    }
  }

  private void workerTemplate(Step step, Map<String, Step> named) {
    String path = step.path() + "." + BATCH_CONFIG + ".worker_template";
    Step worker = named.get(step.workerTemplate());
    if (worker == null) {
      problems.add(path, "unknown step '" + step.workerTemplate() + "'");
    } else if (worker.type() != null && worker.type() != StepType.BATCH_WORKER) {
      problems.add(
          path,
          "step '" + worker.name() + "' is " + worker.type().yamlName() + ", not batch_worker");
    }
  }

  private static StepType typeOf(Map<String, Step> named, String name) {
    Step step = named.get(name);
    return step == null ? null : step.type();
  }

  /** Type and range checks of each retry key; shared with environment overrides. */
  static void retryFields(JsonNode retry, String path, Problems problems) {
    problems.bool(retry, path, "retryable");
    String attemptsKey = problems.aliasKey(retry, path, TemplateKeys.MAX_ATTEMPTS);
    if (attemptsKey != null) {
      problems.integer(retry, path, attemptsKey, 1, Integer.MAX_VALUE);
    }
    problems.oneOf(retry, path, "backoff", TemplateKeys.BACKOFFS);
    problems.integer(retry, path, TemplateKeys.BACKOFF_BASE_MS, 0, Long.MAX_VALUE);
    problems.integer(retry, path, TemplateKeys.MAX_BACKOFF_MS, 0, Long.MAX_VALUE);
  }

  /**
   * The base delay may not exceed the cap. Checked only when both are given, so a template is never
   * rejected for a default it did not choose.
   */
  static void retryRange(JsonNode retry, String path, Problems problems) {
    JsonNode base = TemplateKeys.value(retry, TemplateKeys.BACKOFF_BASE_MS);
    JsonNode max = TemplateKeys.value(retry, TemplateKeys.MAX_BACKOFF_MS);
    if (base != null
        && max != null
        && base.isIntegralNumber()
        && max.isIntegralNumber()
        && max.bigIntegerValue().signum() >= 0
        && base.bigIntegerValue().compareTo(max.bigIntegerValue()) > 0) {
      problems.add(
          Problems.path(path, TemplateKeys.BACKOFF_BASE_MS),
          "must be <= max_backoff_ms (got " + base.asText() + " > " + max.asText() + ")");
    }
  }
}
