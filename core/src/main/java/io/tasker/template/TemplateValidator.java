package io.tasker.template;

import static io.tasker.template.TemplateKeys.ENVIRONMENTS;
import static io.tasker.template.TemplateKeys.NAME;
import static io.tasker.template.TemplateKeys.RETRY;
import static io.tasker.template.TemplateKeys.STEPS;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Finds every problem in a template document at once, each with its path, e.g. {@code
 * steps[2].dependencies: unknown step 'foo'} or {@code steps: cycle a -> b -> a}. Keys it does not
 * know are accepted: tasker-core templates carry many that tasker does not act on.
 */
public final class TemplateValidator {
  /** Namespaces become queue names ({@code worker_<namespace>_queue}), so they stay short. */
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9_]{1,34}");

  private static final List<String> IDENTITY_STRATEGIES =
      Arrays.stream(IdentityStrategy.values()).map(IdentityStrategy::yamlName).toList();
  private static final List<String> LIFECYCLE_LIMITS =
      List.of(
          "max_duration_minutes",
          "max_waiting_for_dependencies_minutes",
          "max_waiting_for_retry_minutes",
          "max_steps_in_process_minutes");

  private final JsonSchemas schemas;

  public TemplateValidator() {
    this.schemas = JsonSchemas.shared();
  }

  /** Every problem in {@code document} (a template as JSON), in document order. */
  public List<TemplateProblem> validate(JsonNode document) {
    var problems = new Problems();
    if (document == null || !document.isObject()) {
      boolean empty = document == null || document.isNull() || document.isMissingNode();
      String got = empty ? "an empty document" : Problems.describe(document);
      problems.add("", "a template must be a mapping (got " + got + ")");
      return problems.list();
    }
    problems.string(document, "", NAME, true);
    String namespace = problems.string(document, "", "namespace_name", true);
    if (namespace != null && !NAMESPACE.matcher(namespace).matches()) {
      problems.add("namespace_name", "must match ^[a-z0-9_]{1,34}$ (got '" + namespace + "')");
    }
    JsonNode version = TemplateKeys.value(document, "version");
    if (version != null && version.isNumber()) {
      // YAML reads 1.10 as the number 1.1: refuse rather than register the wrong version
      problems.add(
          "version", "must be a string (got " + Problems.describe(version) + "); quote it in YAML");
    } else {
      problems.string(document, "", "version", true);
    }
    problems.text(document, "", "description");
    problems.oneOf(document, "", "identity_strategy", IDENTITY_STRATEGIES);
    problems.list(document, "", "domain_events", false);
    schemas.check(document, "", "input_schema", problems);
    lifecycle(document, problems);
    Map<String, JsonNode> steps = new StepChecks(problems, schemas).check(document);
    environments(document, steps, problems);
    return problems.list();
  }

  /** Validates the document a template was read from (or resolved to). */
  public List<TemplateProblem> validate(TaskTemplate template) {
    return validate(template.document());
  }

  private static void lifecycle(JsonNode document, Problems problems) {
    JsonNode lifecycle = problems.mapping(document, "", "lifecycle", false);
    if (lifecycle == null) {
      return;
    }
    LIFECYCLE_LIMITS.forEach(
        key -> problems.integer(lifecycle, "lifecycle", key, 1, Integer.MAX_VALUE));
    problems.oneOf(lifecycle, "lifecycle", "staleness_action", List.of("dlq", "error", "none"));
    problems.bool(lifecycle, "lifecycle", "auto_fail_on_timeout");
    problems.bool(lifecycle, "lifecycle", "auto_dlq_on_timeout");
  }

  /** {@code environments.<env>.steps[]}: overrides of known steps (or ALL) with valid values. */
  private static void environments(
      JsonNode document, Map<String, JsonNode> steps, Problems problems) {
    JsonNode environments = problems.mapping(document, "", ENVIRONMENTS, false);
    if (environments == null) {
      return;
    }
    for (var environment : environments.properties()) {
      String envPath = ENVIRONMENTS + "." + environment.getKey();
      JsonNode env = environment.getValue();
      if (env.isNull()) {
        continue;
      }
      if (!env.isObject()) {
        problems.add(envPath, "must be a mapping (got " + Problems.describe(env) + ")");
        continue;
      }
      JsonNode overrides = problems.list(env, envPath, STEPS, false);
      for (int j = 0; overrides != null && j < overrides.size(); j++) {
        stepOverride(overrides.get(j), envPath + ".steps[" + j + "]", steps, problems);
      }
    }
  }

  private static void stepOverride(
      JsonNode override, String path, Map<String, JsonNode> steps, Problems problems) {
    if (!override.isObject()) {
      problems.add(path, "must be a mapping (got " + Problems.describe(override) + ")");
      return;
    }
    String target = problems.string(override, path, NAME, true);
    if (target != null && !target.equals(TemplateKeys.ALL_STEPS) && !steps.containsKey(target)) {
      problems.add(path + ".name", "unknown step '" + target + "' (name a step or ALL)");
    }
    JsonNode handler = problems.mapping(override, path, TemplateKeys.HANDLER, false);
    if (handler != null) {
      problems.mapping(handler, path + ".handler", TemplateKeys.INITIALIZATION, false);
    }
    problems.integer(override, path, TemplateKeys.TIMEOUT_SECONDS, 1, Integer.MAX_VALUE);
    JsonNode retry = problems.mapping(override, path, RETRY, false);
    if (retry == null) {
      return;
    }
    String retryPath = path + "." + RETRY;
    StepChecks.retryFields(retry, retryPath, problems);
    boolean changesBackoff =
        retry.has(TemplateKeys.BACKOFF_BASE_MS) || retry.has(TemplateKeys.MAX_BACKOFF_MS);
    if (target == null || !changesBackoff) {
      return;
    }
    // overriding only the cap can undercut the step's own base delay, so check the merge
    List<JsonNode> targets =
        target.equals(TemplateKeys.ALL_STEPS)
            ? List.copyOf(steps.values())
            : steps.containsKey(target) ? List.of(steps.get(target)) : List.of();
    for (JsonNode step : targets) {
      JsonNode merged = EnvironmentOverrides.mergeRetry(TemplateKeys.value(step, RETRY), retry);
      StepChecks.retryRange(merged, retryPath, problems);
    }
  }
}
