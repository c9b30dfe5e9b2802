package io.tasker.template;

import static io.tasker.template.Templates.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Templates from tasker-core's own fixtures register unchanged (see resources/templates). */
class TaskerCoreFixturesTest {
  static List<Path> fixtures() {
    return Templates.yamlFiles(Templates.resource("/templates/tasker-core"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void parsesValidatesAndResolves(Path file) {
    TaskTemplate t = Templates.PARSER.parse(file);
    TaskTemplate test = Templates.PARSER.resolve(t, "test");

    assertThat(t.steps()).isNotEmpty();
    assertThat(t.graph().topologicalOrder()).hasSameSizeAs(t.steps());
    assertThat(test.steps())
        .extracting(StepTemplate::name)
        .containsExactlyElementsOf(t.steps().stream().map(StepTemplate::name).toList());
  }

  @Test
  void readsConditionalApproval() {
    TaskTemplate t = parse("conditional_approval_handler.yaml");

    assertThat(t.key()).isEqualTo("conditional_approval/approval_routing/1.0.0");
    assertThat(t.step("routing_decision").orElseThrow().type()).isEqualTo(StepType.DECISION);
    assertThat(t.graph().descendants("routing_decision"))
        .containsExactly("auto_approve", "manager_approval", "finance_review", "finalize_approval");
    // ALL applies to every step
    assertThat(Templates.PARSER.resolve(t, "test").steps())
        .allSatisfy(
            s -> {
              assertThat(s.timeoutSeconds()).isEqualTo(10);
              assertThat(s.retry().maxAttempts()).isEqualTo(2);
              assertThat(s.retry().maxBackoffMs()).isEqualTo(30_000);
            });
  }

  @Test
  void readsBatchProcessing() {
    TaskTemplate t = parse("batch_processing_products_csv.yaml");
    StepTemplate worker = t.step("process_csv_batch").orElseThrow();

    assertThat(worker.type()).isEqualTo(StepType.BATCH_WORKER);
    assertThat(worker.batchConfig())
        .isEqualTo(
            new BatchConfig(200, 5, "row_number", "process_csv_batch", "continue_on_failure"));
    assertThat(t.document().path("steps").get(1).path("lifecycle").path("max_retries").asInt())
        .isEqualTo(3);
  }

  @Test
  void readsDependsOnAndResultSchemas() {
    TaskTemplate t = parse("codegen_test_template.yaml");

    assertThat(t.step("generate_report").orElseThrow().dependencies())
        .containsExactly("enrich_order", "process_payment");
    assertThat(t.step("validate_order").orElseThrow().resultSchema().path("required").size())
        .isEqualTo(3);
  }

  @Test
  void readsLifecycleAndEvents() {
    assertThat(parse("dlq_staleness_test.yaml").lifecycle().path("max_duration_minutes").asInt())
        .isEqualTo(30);
    assertThat(parse("domain_event_publishing.yaml").step("domain_events_process_payment"))
        .hasValueSatisfying(s -> assertThat(s.publishesEvents()).hasSize(2));
  }

  /** tasker-core allows max_attempts: 0 as a boundary case; tasker requires at least one try. */
  @Test
  void rejectsZeroMaxAttempts() {
    assertThat(problems(rejected("boundary_max_attempts_zero.yaml")))
        .containsExactly("steps[0].retry.max_attempts: must be >= 1 (got 0)");
  }

  /** This fixture depends on a step it never defines; tasker-core does not notice. */
  @Test
  void findsTheDanglingDependencyInABatchFixture() {
    assertThat(problems(rejected("batch_processing_dsl_py.yaml")))
        .containsExactly("steps[2].dependencies: unknown step 'process_csv_batch_py'");
  }

  private static TaskTemplate parse(String fixture) {
    return Templates.PARSER.parse(Templates.resource("/templates/tasker-core/" + fixture));
  }

  private static String rejected(String fixture) {
    return Templates.read(Templates.resource("/templates/tasker-core-rejected/" + fixture));
  }
}
