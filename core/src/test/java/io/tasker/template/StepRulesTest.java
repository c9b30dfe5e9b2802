package io.tasker.template;

import static io.tasker.template.Templates.problems;
import static io.tasker.template.Templates.withSteps;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One case per step rule: exactly one problem, with its path and message. */
class StepRulesTest {
  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void reportsTheRuleWithItsPath(String rule, String steps, String problem) {
    assertThat(problems(withSteps(steps))).containsExactly(problem);
  }

  static Stream<Arguments> rules() {
    return Stream.of(
        rule(
            "step not a mapping",
            "- just_a_name",
            "steps[0]: must be a mapping (got string 'just_a_name')"),
        rule("step name required", "- handler: {callable: h}", "steps[0].name: required"),
        rule("handler required", "- name: a", "steps[0].handler: required"),
        rule(
            "callable required",
            "- {name: a, handler: {initialization: {x: 1}}}",
            "steps[0].handler.callable: required"),
        rule(
            "callable not empty",
            "- {name: a, handler: {callable: ' '}}",
            "steps[0].handler.callable: must not be empty"),
        rule(
            "initialization must be a mapping",
            "- {name: a, handler: {callable: h, initialization: [1]}}",
            "steps[0].handler.initialization: must be a mapping (got a list)"),
        rule(
            "duplicate step name",
            """
            - {name: a, handler: {callable: h}}
            - {name: b, handler: {callable: h}}
            - {name: a, handler: {callable: h}}
            """,
            "steps[2].name: duplicate step name 'a' (first used by steps[0])"),
        rule(
            "unknown step type",
            "- {name: a, type: foo, handler: {callable: h}}",
            "steps[0].type: unknown step type 'foo' (expected one of standard, decision,"
                + " deferred_convergence, batchable, batch_worker)"),
        rule(
            "unknown step type under its alias",
            "- {name: a, step_type: Decision, handler: {callable: h}}",
            "steps[0].step_type: unknown step type 'Decision' (expected one of standard,"
                + " decision, deferred_convergence, batchable, batch_worker)"),
        rule(
            "type and its alias together",
            "- {name: a, type: standard, step_type: standard, handler: {callable: h}}",
            "steps[0]: both 'type' and 'step_type' given; use one"),
        rule(
            "unknown dependency",
            """
            - {name: a, handler: {callable: h}}
            - {name: b, dependencies: [a, foo], handler: {callable: h}}
            """,
            "steps[1].dependencies: unknown step 'foo'"),
        rule(
            "unknown dependency under depends_on",
            "- {name: a, depends_on: [foo], handler: {callable: h}}",
            "steps[0].depends_on: unknown step 'foo'"),
        rule(
            "dependency listed twice",
            """
            - {name: a, handler: {callable: h}}
            - {name: b, dependencies: [a, a], handler: {callable: h}}
            """,
            "steps[1].dependencies: 'a' is listed twice"),
        rule(
            "dependency not a name",
            "- {name: a, dependencies: [{x: 1}], handler: {callable: h}}",
            "steps[0].dependencies[0]: must be a step name (got a mapping)"),
        rule(
            "dependencies and depends_on together",
            """
            - {name: a, handler: {callable: h}}
            - {name: b, dependencies: [a], depends_on: [a], handler: {callable: h}}
            """,
            "steps[1]: both 'dependencies' and 'depends_on' given; use one"),
        rule(
            "step depends on itself",
            "- {name: a, dependencies: [a], handler: {callable: h}}",
            "steps: cycle a -> a"),
        rule(
            "max_attempts below 1",
            "- {name: a, handler: {callable: h}, retry: {max_attempts: 0}}",
            "steps[0].retry.max_attempts: must be >= 1 (got 0)"),
        rule(
            "limit (max_attempts alias) below 1",
            "- {name: a, handler: {callable: h}, retry: {limit: -1}}",
            "steps[0].retry.limit: must be >= 1 (got -1)"),
        rule(
            "max_attempts and limit together",
            "- {name: a, handler: {callable: h}, retry: {max_attempts: 2, limit: 2}}",
            "steps[0].retry: both 'max_attempts' and 'limit' given; use one"),
        rule(
            "max_attempts not an integer",
            "- {name: a, handler: {callable: h}, retry: {max_attempts: '3'}}",
            "steps[0].retry.max_attempts: must be an integer (got string '3')"),
        rule(
            "retryable not a boolean",
            "- {name: a, handler: {callable: h}, retry: {retryable: maybe}}",
            "steps[0].retry.retryable: must be true or false (got string 'maybe')"),
        rule(
            "unknown backoff",
            "- {name: a, handler: {callable: h}, retry: {backoff: quadratic}}",
            "steps[0].retry.backoff: must be one of none, linear, exponential, fibonacci"
                + " (got 'quadratic')"),
        rule(
            "negative backoff base",
            "- {name: a, handler: {callable: h}, retry: {backoff_base_ms: -5}}",
            "steps[0].retry.backoff_base_ms: must be >= 0 (got -5)"),
        rule(
            "negative backoff cap",
            "- {name: a, handler: {callable: h}, retry: {backoff_base_ms: 5, max_backoff_ms: -1}}",
            "steps[0].retry.max_backoff_ms: must be >= 0 (got -1)"),
        rule(
            "backoff base above cap",
            "- {name: a, handler: {callable: h}, retry: {backoff_base_ms: 5000, max_backoff_ms: 1000}}",
            "steps[0].retry.backoff_base_ms: must be <= max_backoff_ms (got 5000 > 1000)"),
        rule(
            "timeout below 1",
            "- {name: a, handler: {callable: h}, timeout_seconds: 0}",
            "steps[0].timeout_seconds: must be >= 1 (got 0)"),
        rule(
            "timeout not whole seconds",
            "- {name: a, handler: {callable: h}, timeout_seconds: 2.5}",
            "steps[0].timeout_seconds: must be an integer (got number 2.5)"),
        rule(
            "result_schema not a JSON Schema",
            "- {name: a, handler: {callable: h}, result_schema: {required: ok}}",
            "steps[0].result_schema: invalid JSON Schema: $.required: string found, array"
                + " expected"),
        rule(
            "event without a name",
            "- {name: a, handler: {callable: h}, publishes_events: [{condition: success}]}",
            "steps[0].publishes_events[0].name: required"),
        rule(
            "event schema not a JSON Schema",
            "- {name: a, handler: {callable: h}, publishes_events: [{name: e, schema: {type: 1}}]}",
            "steps[0].publishes_events[0].schema: invalid JSON Schema: $.type: does not have a"
                + " value in the enumeration [\"array\", \"boolean\", \"integer\", \"null\","
                + " \"number\", \"object\", \"string\"]"),
        rule(
            "batch_worker without a batchable parent",
            """
            - {name: a, handler: {callable: h}}
            - {name: w, type: batch_worker, dependencies: [a], handler: {callable: h}}
            """,
            "steps[1].dependencies: a batch_worker step must depend on a batchable step"),
        rule(
            "worker_template names no step",
            "- {name: a, type: batchable, handler: {callable: h}, batch_config: {worker_template: w}}",
            "steps[0].batch_config.worker_template: unknown step 'w'"),
        rule(
            "worker_template names a step that is no batch_worker",
            """
            - {name: a, type: batchable, handler: {callable: h}, batch_config: {worker_template: b}}
            - {name: b, dependencies: [a], handler: {callable: h}}
            """,
            "steps[0].batch_config.worker_template: step 'b' is standard, not batch_worker"),
        rule(
            "batch_size below 1",
            "- {name: a, type: batchable, handler: {callable: h}, batch_config: {batch_size: 0}}",
            "steps[0].batch_config.batch_size: must be >= 1 (got 0)"),
        rule(
            "unknown failure strategy",
            "- {name: a, type: batchable, handler: {callable: h},"
                + " batch_config: {failure_strategy: retry_forever}}",
            "steps[0].batch_config.failure_strategy: must be one of continue_on_failure,"
                + " fail_fast, isolate (got 'retry_forever')"),
        rule(
            "decision step with nothing to create",
            """
            - {name: a, handler: {callable: h}}
            - {name: d, type: decision, dependencies: [a], handler: {callable: h}}
            """,
            "steps[1]: a decision step must have dependent steps (the steps it may create)"));
  }

  private static Arguments rule(String name, String steps, String problem) {
    return Arguments.of(name, steps, problem);
  }
}
