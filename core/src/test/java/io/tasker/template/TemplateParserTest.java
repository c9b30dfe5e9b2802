package io.tasker.template;

import static io.tasker.template.Templates.parse;
import static io.tasker.template.Templates.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateParserTest {
  private static final Path FULL = Templates.resource("/templates/full.yaml");

  @Test
  void readsEveryKey() {
    TaskTemplate t = Templates.PARSER.parse(FULL);

    assertThat(t.key()).isEqualTo("shop_orders/order_pipeline/2.1.0");
    assertThat(t.description()).isEqualTo("Validate, fan out in batches, converge.");
    assertThat(t.identityStrategy()).isEqualTo(IdentityStrategy.CALLER_PROVIDED);
    assertThat(t.metadata().path("author").asText()).isEqualTo("tasker tests");
    assertThat(t.taskHandler().path("callable").asText()).isEqualTo("Shop::OrderPipeline");
    assertThat(t.systemDependencies().path("secondary").get(0).asText()).isEqualTo("payments");
    assertThat(t.domainEvents()).hasSize(1);
    assertThat(t.lifecycle().path("staleness_action").asText()).isEqualTo("error");
    assertThat(t.inputSchema().path("required").get(0).asText()).isEqualTo("order_id");
    assertThat(t.environments().has("production")).isTrue();
    assertThat(t.steps())
        .extracting(StepTemplate::name)
        .containsExactly("validate", "plan", "work", "finish");

    StepTemplate validate = t.steps().getFirst();
    assertThat(validate.description()).isEqualTo("Checks the order.");
    assertThat(validate.type()).isEqualTo(StepType.STANDARD);
    assertThat(validate.handler().callable()).isEqualTo("shop.validate");
    assertThat(validate.handler().method()).isEqualTo("check");
    assertThat(validate.handler().effectiveMethod()).isEqualTo("check");
    assertThat(validate.handler().resolver()).isEqualTo("explicit_mapping");
    assertThat(validate.handler().initialization().toString())
        .isEqualTo("{\"strict\":true,\"region\":\"eu\"}");
    assertThat(validate.retry())
        .isEqualTo(new RetryPolicy(false, 1, "exponential", 1000, 3_600_000));
    assertThat(validate.timeoutSeconds()).isEqualTo(15);
    assertThat(validate.publishesEvents())
        .extracting(e -> e.path("name").asText())
        .containsExactly("order.validated");
    assertThat(validate.resultSchema().path("type").asText()).isEqualTo("object");
    assertThat(validate.dependencies()).isEmpty();

    StepTemplate plan = t.step("plan").orElseThrow();
    assertThat(plan.type()).isEqualTo(StepType.BATCHABLE);
    assertThat(plan.dependencies()).containsExactly("validate");
    assertThat(plan.batchConfig())
        .isEqualTo(new BatchConfig(50, 10, "id", "work", "continue_on_failure"));

    StepTemplate work = t.step("work").orElseThrow();
    assertThat(work.retry()).isEqualTo(new RetryPolicy(true, 3, "linear", 200, 2000));
    assertThat(work.batchConfig()).isEqualTo(new BatchConfig(1000, 4, "row", null, "isolate"));

    StepTemplate finish = t.step("finish").orElseThrow();
    assertThat(finish.type()).isEqualTo(StepType.DEFERRED_CONVERGENCE);
    assertThat(finish.composition().path("mode").asText()).isEqualTo("sequential");
    assertThat(finish.batchConfig()).isNull();
    assertThat(finish.resultSchema()).isNull();
  }

  @Test
  void keepsKeysItDoesNotActOn() {
    TaskTemplate t = Templates.PARSER.parse(FULL);

    assertThat(t.document().path("x_unknown_root_key").path("kept").asBoolean()).isTrue();
    assertThat(t.document().path("steps").get(0).path("x_step_note").asText())
        .isEqualTo("kept too");
  }

  @Test
  void appliesDefaults() {
    TaskTemplate t = parse(Templates.MINIMAL);
    StepTemplate only = t.steps().getFirst();

    assertThat(t.identityStrategy()).isEqualTo(IdentityStrategy.STRICT);
    assertThat(t.description()).isNull();
    assertThat(t.inputSchema()).isNull();
    assertThat(t.metadata()).isNull();
    assertThat(t.domainEvents()).isEmpty();
    assertThat(t.environments().isEmpty()).isTrue();
    assertThat(only.type()).isEqualTo(StepType.STANDARD);
    assertThat(only.retry()).isEqualTo(RetryPolicy.DEFAULT);
    assertThat(only.retry()).isEqualTo(new RetryPolicy(true, 3, "exponential", 1000, 3_600_000));
    assertThat(only.timeoutSeconds()).isNull();
    assertThat(only.handler().method()).isNull();
    assertThat(only.handler().effectiveMethod()).isEqualTo("call");
    assertThat(only.handler().initialization().isObject()).isTrue();
    assertThat(only.handler().initialization().isEmpty()).isTrue();
    assertThat(only.publishesEvents()).isEmpty();
  }

  @Test
  void aliasesReadLikeTheirCanonicalKeys() {
    String canonical =
        """
        name: t
        namespace_name: tests
        version: 1.0.0
        steps:
          - {name: a, type: batchable, handler: {callable: h}, retry: {max_attempts: 7}}
          - {name: b, type: batch_worker, dependencies: [a], handler: {callable: h}}
        """;
    String aliased =
        canonical
            .replace("type: batchable", "step_type: batchable")
            .replace("type: batch_worker", "step_type: batch_worker")
            .replace("dependencies:", "depends_on:")
            .replace("max_attempts: 7", "limit: 7");

    TaskTemplate a = parse(canonical);
    TaskTemplate b = parse(aliased);

    assertThat(aliased).contains("step_type", "depends_on", "limit");
    assertThat(b.steps()).isEqualTo(a.steps());
    assertThat(b.steps().get(1).dependencies()).containsExactly("a");
    assertThat(b.steps().get(0).retry().maxAttempts()).isEqualTo(7);
  }

  @Test
  void appliesEnvironmentOverrides() {
    TaskTemplate t = Templates.PARSER.parse(FULL);
    TaskTemplate test = Templates.PARSER.resolve(t, "test");

    StepTemplate validate = test.step("validate").orElseThrow();
    assertThat(validate.handler().initialization().toString())
        .isEqualTo("{\"strict\":true,\"region\":\"test\"}");
    assertThat(validate.timeoutSeconds()).isEqualTo(5);
    // the ALL override changes max_attempts only; the rest of each retry block stays
    assertThat(validate.retry())
        .isEqualTo(new RetryPolicy(false, 2, "exponential", 1000, 3_600_000));
    assertThat(test.step("work").orElseThrow().retry())
        .isEqualTo(new RetryPolicy(true, 2, "linear", 200, 2000));
    assertThat(test.steps()).allSatisfy(s -> assertThat(s.retry().maxAttempts()).isEqualTo(2));
    assertThat(test.step("plan").orElseThrow().timeoutSeconds()).isNull();

    TaskTemplate production = Templates.PARSER.resolve(t, "production");
    assertThat(production.step("work").orElseThrow().retry())
        .isEqualTo(new RetryPolicy(true, 3, "linear", 200, 60_000));
    assertThat(production.step("validate").orElseThrow())
        .isEqualTo(t.step("validate").orElseThrow());
  }

  @Test
  void resolvingLeavesTheParsedTemplateAlone() {
    TaskTemplate t = Templates.PARSER.parse(FULL);
    String before = t.document().toString();

    TaskTemplate test = Templates.PARSER.resolve(t, "test");

    assertThat(t.document().toString()).isEqualTo(before);
    assertThat(t.step("validate").orElseThrow().timeoutSeconds()).isEqualTo(15);
    assertThat(test.document().path("steps").get(0).path("timeout_seconds").asInt()).isEqualTo(5);
    assertThat(Templates.PARSER.resolve(t, "staging")).isSameAs(t);
  }

  @Test
  void resolvesAtParseTimeWhenAskedTo() {
    TaskTemplate test = Templates.PARSER.parse(Templates.read(FULL), "full.yaml", "test");

    assertThat(test.step("validate").orElseThrow().timeoutSeconds()).isEqualTo(5);
  }

  @Test
  void malformedYamlIsOneProblemWithLineAndColumn() {
    String yaml = "name: t\nsteps:\n  - name: a\n    handler: {callable: h\n  - name: b\n";

    assertThat(problems(yaml))
        .containsExactly(
            "malformed YAML at line 5, column 9: while parsing a flow mapping: expected ',' or"
                + " '}', but got :");
    assertThat(problems("name: t\n  version: 1\n"))
        .containsExactly(
            "malformed YAML at line 2, column 10: mapping values are not allowed here");
  }

  @Test
  void duplicateKeysAreMalformed() {
    assertThat(problems("name: a\nnamespace_name: tests\nname: b\n"))
        .containsExactly(
            "malformed YAML at line 3, column 1: while constructing a mapping: found duplicate"
                + " key name");
  }

  @Test
  void moreThanOneDocumentIsMalformed() {
    assertThat(problems(Templates.MINIMAL + "---\n" + Templates.MINIMAL))
        .containsExactly(
            "malformed YAML at line 7, column 1: expected a single document in the stream: but"
                + " found another document");
  }

  @Test
  void rejectsDocumentsThatAreNotMappings() {
    assertThat(problems(""))
        .containsExactly("a template must be a mapping (got an empty document)");
    assertThat(problems("# only a comment\n"))
        .containsExactly("a template must be a mapping (got an empty document)");
    assertThat(problems("- a\n- b\n")).containsExactly("a template must be a mapping (got a list)");
  }

  @Test
  void resolvesAnchorsAndAliases() {
    String yaml =
        """
        name: t
        namespace_name: tests
        version: 1.0.0
        steps:
          - name: a
            handler: {callable: h}
            retry: &fast {max_attempts: 5, backoff_base_ms: 10}
          - name: b
            dependencies: [a]
            handler: {callable: h}
            retry: *fast
        """;

    assertThat(parse(yaml).step("b").orElseThrow().retry())
        .isEqualTo(new RetryPolicy(true, 5, "exponential", 10, 3_600_000));
  }

  @Test
  void keepsUnquotedDatesAsText() {
    TaskTemplate t = parse(Templates.MINIMAL + "metadata: {created_at: 2025-10-26T00:00:00Z}\n");

    assertThat(t.metadata().path("created_at").textValue()).isEqualTo("2025-10-26T00:00:00Z");
  }

  @Test
  void anUnreadableFileIsNotAValidationError() {
    Path missing = Path.of("no/such/template.yaml");

    assertThatThrownBy(() -> Templates.PARSER.parse(missing))
        .isInstanceOf(TemplateException.class)
        .isNotInstanceOf(TemplateValidationException.class)
        .hasMessageStartingWith("cannot read template no/such/template.yaml")
        .extracting(e -> ((TemplateException) e).code())
        .isEqualTo("unreadable_template");
  }

  @Test
  void errorsNameTheSource() {
    assertThatThrownBy(() -> Templates.PARSER.parse("name: t\n", "shop/orders.yaml"))
        .isInstanceOf(TemplateValidationException.class)
        .hasMessage(
            String.join(
                "\n",
                List.of(
                    "template shop/orders.yaml is invalid (3 problems):",
                    "  - namespace_name: required",
                    "  - version: required",
                    "  - steps: required")));
  }
}
