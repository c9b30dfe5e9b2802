package io.tasker.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared conformance templates (beside the project) parse, validate and behave as expected. */
class ConformanceTemplatesTest {
  private static final Path CONFORMANCE =
      Path.of(System.getProperty("user.dir")).resolve("../../shared/conformance").normalize();

  private static final Map<String, TaskTemplate> BY_KEY = new HashMap<>();

  @BeforeAll
  static void parseAll() {
    assumeTrue(Files.isDirectory(CONFORMANCE.resolve("templates")), "no " + CONFORMANCE);
    for (Path file : Templates.yamlFiles(CONFORMANCE.resolve("templates"))) {
      TaskTemplate t = Templates.PARSER.parse(file);
      BY_KEY.put(t.key(), t);
    }
  }

  @Test
  void everyTemplateParsesAndValidates() {
    assertThat(BY_KEY)
        .containsOnlyKeys(
            "conformance/approval_routing/1.0.0",
            "conformance/batch_sum/1.0.0",
            "conformance/diamond_workflow/1.0.0",
            "conformance/linear_workflow/1.0.0",
            "conformance/mixed_dag_workflow/1.0.0",
            "conformance/retry_workflow/1.0.0",
            "conformance/tree_workflow/1.0.0");
    var validator = new TemplateValidator();
    BY_KEY.values().forEach(t -> assertThat(validator.validate(t)).isEmpty());
  }

  @Test
  void everyExpectedCaseNamesATemplate() {
    for (JsonNode c : cases()) {
      assertThat(BY_KEY).containsKey(c.path("template").asText());
    }
  }

  /** Each case's context passes its template's input_schema exactly when it is not rejected. */
  @Test
  void contextsAreAcceptedOrRejectedAsExpected() {
    var contexts = new ContextValidator();
    for (JsonNode c : cases()) {
      TaskTemplate t = BY_KEY.get(c.path("template").asText());
      List<TemplateProblem> problems = contexts.check(t, c.path("context"));
      if (c.path("rejected").asBoolean()) {
        assertThat(problems).as(c.path("id").asText()).isNotEmpty();
      } else {
        assertThat(problems).as(c.path("id").asText()).isEmpty();
      }
    }
  }

  @Test
  void invalidContextNamesEvenNumber() {
    JsonNode invalid =
        cases().stream()
            .filter(c -> c.path("id").asText().equals("invalid_context"))
            .findFirst()
            .orElseThrow();
    TaskTemplate linear = BY_KEY.get("conformance/linear_workflow/1.0.0");

    assertThat(new ContextValidator().check(linear, invalid.path("context")))
        .extracting(TemplateProblem::toString)
        .containsExactly("$.even_number: string found, integer expected");
  }

  @Test
  void readsTheShapesTheEngineRunsOn() {
    TaskTemplate linear = BY_KEY.get("conformance/linear_workflow/1.0.0");
    assertThat(linear.graph().topologicalOrder())
        .containsExactly("linear_step_1", "linear_step_2", "linear_step_3", "linear_step_4");
    assertThat(linear.steps().getFirst().retry())
        .isEqualTo(new RetryPolicy(true, 3, "exponential", 100, 3_600_000));
    assertThat(linear.steps().getFirst().handler().initialization().path("input_key").asText())
        .isEqualTo("even_number");

    TaskTemplate approval = BY_KEY.get("conformance/approval_routing/1.0.0");
    assertThat(approval.step("routing_decision").orElseThrow().type()).isEqualTo(StepType.DECISION);
    assertThat(approval.graph().children("routing_decision"))
        .containsExactly("auto_approve", "manager_approval", "finance_review");
    assertThat(approval.step("finalize_approval").orElseThrow().type())
        .isEqualTo(StepType.DEFERRED_CONVERGENCE);
    assertThat(approval.step("validate_request").orElseThrow().retry().retryable()).isFalse();

    TaskTemplate batch = BY_KEY.get("conformance/batch_sum/1.0.0");
    assertThat(batch.steps())
        .extracting(StepTemplate::type)
        .containsExactly(StepType.BATCHABLE, StepType.BATCH_WORKER, StepType.DEFERRED_CONVERGENCE);

    TaskTemplate retry = BY_KEY.get("conformance/retry_workflow/1.0.0");
    assertThat(retry.steps().getFirst().timeoutSeconds()).isEqualTo(2);
    assertThat(retry.steps().getFirst().retry())
        .isEqualTo(new RetryPolicy(true, 3, "exponential", 50, 400));

    assertThat(
            BY_KEY.get("conformance/tree_workflow/1.0.0").graph().parents("tree_final_convergence"))
        .containsExactly("tree_leaf_d", "tree_leaf_e", "tree_leaf_f", "tree_leaf_g");
  }

  private static List<JsonNode> cases() {
    JsonNode expected =
        YamlDocuments.read(Templates.read(CONFORMANCE.resolve("expected.yaml")), "expected.yaml");
    List<JsonNode> cases = new ArrayList<>();
    expected.path("cases").forEach(cases::add);
    return cases;
  }
}
