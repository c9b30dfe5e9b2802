package io.tasker.template;

import static io.tasker.template.Templates.minimalWith;
import static io.tasker.template.Templates.problems;
import static io.tasker.template.Templates.withSteps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Template-level rules (step rules are in {@link StepRulesTest}), cycles, and many at once. */
class TemplateValidatorTest {
  private static final String ENUMERATION =
      "does not have a value in the enumeration [\"array\", \"boolean\", \"integer\", \"null\","
          + " \"number\", \"object\", \"string\"]";

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void reportsTheRuleWithItsPath(String rule, String yaml, String problem) {
    assertThat(problems(yaml)).containsExactly(problem);
  }

  static Stream<Arguments> rules() {
    return Stream.of(
        rule(
            "namespace pattern",
            minimalWith("namespace_name: Shop-Orders"),
            "namespace_name: must match ^[a-z0-9_]{1,34}$ (got 'Shop-Orders')"),
        rule(
            "namespace too long",
            minimalWith("namespace_name: " + "n".repeat(35)),
            "namespace_name: must match ^[a-z0-9_]{1,34}$ (got '" + "n".repeat(35) + "')"),
        rule("name not empty", minimalWith("name: ''"), "name: must not be empty"),
        rule(
            "version must be a string",
            minimalWith("version: 1.0"),
            "version: must be a string (got number 1.0); quote it in YAML"),
        rule(
            "description must be text",
            minimalWith("description: [a, b]"),
            "description: must be a string (got a list)"),
        rule(
            "identity strategy",
            minimalWith("identity_strategy: sometimes"),
            "identity_strategy: must be one of strict, caller_provided, always_unique"
                + " (got 'sometimes')"),
        rule(
            "steps empty",
            "name: t\nnamespace_name: tests\nversion: 1.0.0\nsteps: []\n",
            "steps: must contain at least one step"),
        rule(
            "steps not a list",
            "name: t\nnamespace_name: tests\nversion: 1.0.0\nsteps: {a: 1}\n",
            "steps: must be a list (got a mapping)"),
        rule(
            "input_schema not a JSON Schema",
            minimalWith("input_schema: {type: objekt}"),
            "input_schema: invalid JSON Schema: $.type: " + ENUMERATION),
        rule(
            "input_schema neither mapping nor boolean",
            minimalWith("input_schema: [object]"),
            "input_schema: invalid JSON Schema: must be a mapping or a boolean (got a list)"),
        rule(
            "input_schema with a pattern that is no regex",
            minimalWith("input_schema: {properties: {code: {pattern: '[a-'}}}"),
            "input_schema: invalid JSON Schema: java.util.regex.PatternSyntaxException: Illegal"
                + " character range near index 3"),
        rule(
            "input_schema with a dangling $ref",
            minimalWith("input_schema: {$ref: '#/$defs/missing'}"),
            "input_schema: invalid JSON Schema: Reference /$defs/missing cannot be resolved"),
        rule(
            "input_schema with an unknown $schema",
            minimalWith("input_schema: {$schema: 'https://example.com/my-dialect'}"),
            "input_schema: invalid JSON Schema: unsupported $schema"
                + " \"https://example.com/my-dialect\""),
        rule(
            "lifecycle limit below 1",
            minimalWith("lifecycle: {max_duration_minutes: 0}"),
            "lifecycle.max_duration_minutes: must be >= 1 (got 0)"),
        rule(
            "unknown staleness action",
            minimalWith("lifecycle: {staleness_action: panic}"),
            "lifecycle.staleness_action: must be one of dlq, error, none (got 'panic')"),
        rule(
            "environment not a mapping",
            minimalWith("environments: {test: [only]}"),
            "environments.test: must be a mapping (got a list)"),
        rule(
            "environment override of an unknown step",
            minimalWith("environments: {test: {steps: [{name: nope, timeout_seconds: 5}]}}"),
            "environments.test.steps[0].name: unknown step 'nope' (name a step or ALL)"),
        rule(
            "environment override with a bad retry",
            minimalWith("environments: {test: {steps: [{name: ALL, retry: {max_attempts: 0}}]}}"),
            "environments.test.steps[0].retry.max_attempts: must be >= 1 (got 0)"),
        rule(
            "environment override with a bad timeout",
            minimalWith("environments: {test: {steps: [{name: only, timeout_seconds: -1}]}}"),
            "environments.test.steps[0].timeout_seconds: must be >= 1 (got -1)"),
        rule(
            "environment override of the cap below the step's base delay",
            withSteps("- {name: a, handler: {callable: h}, retry: {backoff_base_ms: 1000}}")
                + "environments: {prod: {steps: [{name: a, retry: {max_backoff_ms: 500}}]}}\n",
            "environments.prod.steps[0].retry.backoff_base_ms: must be <= max_backoff_ms"
                + " (got 1000 > 500)"));
  }

  private static Arguments rule(String name, String yaml, String problem) {
    return Arguments.of(name, yaml, problem);
  }

  @Test
  void missingRequiredKeysAreEachReported() {
    assertThat(problems("description: no name, namespace, version or steps\n"))
        .containsExactly(
            "name: required", "namespace_name: required", "version: required", "steps: required");
  }

  @Test
  void namesTheCycle() {
    String yaml =
        withSteps(
            """
            - {name: start, handler: {callable: h}}
            - {name: a, dependencies: [start, c], handler: {callable: h}}
            - {name: b, dependencies: [a], handler: {callable: h}}
            - {name: c, dependencies: [b], handler: {callable: h}}
            """);

    assertThat(problems(yaml)).containsExactly("steps: cycle a -> c -> b -> a");
  }

  @Test
  void namesEveryIndependentCycle() {
    String yaml =
        withSteps(
            """
            - {name: a, dependencies: [b], handler: {callable: h}}
            - {name: b, dependencies: [a], handler: {callable: h}}
            - {name: x, dependencies: [y], handler: {callable: h}}
            - {name: y, dependencies: [x], handler: {callable: h}}
            """);

    assertThat(problems(yaml))
        .containsExactly("steps: cycle a -> b -> a", "steps: cycle x -> y -> x");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    String yaml =
        """
        name: broken
        namespace_name: Bad Namespace
        version: 1.0.0
        input_schema: {type: objekt}
        steps:
          - name: a
            dependencies: [c]
            handler: {callable: h}
          - name: b
            type: foo
            dependencies: [a, ghost]
            handler: {}
            retry: {max_attempts: 0, backoff_base_ms: -1}
          - name: c
            dependencies: [a]
            handler: {callable: h}
          - name: a
            handler: {callable: h}
        """;
    var error =
        catchThrowableOfType(
            TemplateValidationException.class, () -> Templates.PARSER.parse(yaml, "broken.yaml"));

    assertThat(error.code()).isEqualTo("invalid_template");
    assertThat(error.problems().stream().map(TemplateProblem::toString))
        .containsExactly(
            "namespace_name: must match ^[a-z0-9_]{1,34}$ (got 'Bad Namespace')",
            "input_schema: invalid JSON Schema: $.type: " + ENUMERATION,
            "steps[1].type: unknown step type 'foo' (expected one of standard, decision,"
                + " deferred_convergence, batchable, batch_worker)",
            "steps[1].handler.callable: required",
            "steps[1].retry.max_attempts: must be >= 1 (got 0)",
            "steps[1].retry.backoff_base_ms: must be >= 0 (got -1)",
            "steps[3].name: duplicate step name 'a' (first used by steps[0])",
            "steps[1].dependencies: unknown step 'ghost'",
            "steps: cycle a -> c -> a");
    assertThat(error.getMessage())
        .startsWith("template broken.yaml is invalid (9 problems):\n  - namespace_name: must match")
        .contains("\n  - steps[1].dependencies: unknown step 'ghost'\n")
        .endsWith("\n  - steps: cycle a -> c -> a");
  }

  @Test
  void acceptsUnknownKeysAnywhere() {
    String yaml =
        """
        name: t
        namespace_name: tests
        version: 1.0.0
        description: ''
        something_new: {deep: [1, 2]}
        steps:
          - name: a
            handler: {callable: h, future_option: true}
            retry: {jitter: 0.5}
            system_dependency:
            lifecycle: {max_retries: 3}
        environments:
          test:
            steps: [{name: a, something: else}]
          empty:
        """;

    assertThat(Templates.parse(yaml).document().path("something_new").path("deep").size())
        .isEqualTo(2);
  }

  @Test
  void validatesADocumentWithoutParsing() {
    var validator = new TemplateValidator();

    assertThat(validator.validate(Templates.parse(Templates.MINIMAL))).isEmpty();
    assertThat(validator.validate((JsonNode) null))
        .extracting(TemplateProblem::toString)
        .containsExactly("a template must be a mapping (got an empty document)");
  }
}
