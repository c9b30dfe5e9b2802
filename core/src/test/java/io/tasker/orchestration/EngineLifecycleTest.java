package io.tasker.orchestration;

import static io.tasker.testing.EngineHarness.state;
import static io.tasker.testing.EngineHarness.step;
import static org.assertj.core.api.Assertions.assertThat;

import io.tasker.state.TaskState;
import io.tasker.testing.EngineHarness;
import io.tasker.worker.PermanentError;
import io.tasker.worker.StepResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EngineLifecycleTest {
  private static final String LINEAR = LifecycleTemplates.addingChain("life");

  private static StepResult add(io.tasker.worker.StepContext ctx) {
    long sum = ctx.config("n").asLong();
    for (var r : ctx.dependencyResults().values()) {
      sum += r.path("sum").asLong();
    }
    return StepResult.success(Map.of("sum", sum));
  }

  @Test
  void aLinearTaskRunsEveryStepOnceAndPassesResultsDown() throws Exception {
    try (EngineHarness h = new EngineHarness("life_linear")) {
      h.handler("t.add", EngineLifecycleTest::add).register(LINEAR).start(List.of("life"));
      var doc = h.runToEnd(h.create("life", "chain", "{}"));
      assertThat(state(doc)).isEqualTo(TaskState.COMPLETE);
      assertThat(step(doc, "c").get("result").get("sum").asLong()).isEqualTo(6);
      for (String s : List.of("a", "b", "c")) {
        assertThat(step(doc, s).get("attempts").asInt()).isEqualTo(1);
        assertThat(step(doc, s).get("state").asText()).isEqualTo("complete");
      }
    }
  }

  @Test
  void aPermanentFailureInTheMiddleStopsTheTaskAndLeavesDependentsPending() throws Exception {
    try (EngineHarness h = new EngineHarness("life_perm")) {
      h.handler(
              "t.add",
              ctx -> {
                if (ctx.stepName().equals("b")) {
                  throw new PermanentError("b is broken", "broken");
                }
                return add(ctx);
              })
          .register(LINEAR)
          .start(List.of("life"));
      var doc = h.runToEnd(h.create("life", "chain", "{}"));
      assertThat(state(doc)).isEqualTo(TaskState.ERROR);
      assertThat(step(doc, "b").get("state").asText()).isEqualTo("error");
      assertThat(step(doc, "b").get("attempts").asInt()).isEqualTo(1);
      assertThat(step(doc, "b").get("error").get("error_type").asText()).isEqualTo("broken");
      assertThat(step(doc, "c").get("state").asText()).isEqualTo("pending");
    }
  }

  @Test
  void retryableFailuresAreRetriedThenRecover() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (EngineHarness h = new EngineHarness("life_retry")) {
      h.handler(
              "t.add",
              ctx -> {
                if (ctx.stepName().equals("a") && calls.incrementAndGet() < 3) {
                  return StepResult.failure("flaky", "transient", true);
                }
                return add(ctx);
              })
          .register(LINEAR)
          .start(List.of("life"));
      var doc = h.runToEnd(h.create("life", "chain", "{}"));
      assertThat(state(doc)).isEqualTo(TaskState.COMPLETE);
      assertThat(step(doc, "a").get("attempts").asInt()).isEqualTo(3);
      assertThat(step(doc, "c").get("result").get("sum").asLong()).isEqualTo(6);
    }
  }

  private static final String DECIDING =
      """
      name: deciding
      namespace_name: life_decision
      version: 1.0.0
      steps:
        - name: decide
          type: decision
          handler: {callable: t.decide}
        - name: left
          dependencies: [decide]
          handler: {callable: t.leaf}
        - name: right
          dependencies: [decide]
          handler: {callable: t.leaf}
      """;

  /**
   * A decision step's success takes the general path (its outcome creates steps), not the one-call
   * report: the fallback runs and the task goes on.
   */
  @Test
  void aDecisionStepsSuccessCreatesTheStepItNamesAndTheTaskCompletes() throws Exception {
    try (EngineHarness h = new EngineHarness("life_decision")) {
      h.handler(
              "t.decide",
              ctx ->
                  StepResult.success(
                      Map.of(
                          "decision_point_outcome",
                          Map.of("type", "create_steps", "step_names", List.of("right")))))
          .handler("t.leaf", ctx -> StepResult.success(Map.of("leaf", ctx.stepName())))
          .register(DECIDING)
          .start(List.of("life_decision"));
      var doc = h.runToEnd(h.create("life_decision", "deciding", "{}"));
      assertThat(state(doc)).isEqualTo(TaskState.COMPLETE);
      assertThat(step(doc, "right").get("result").get("leaf").asText()).isEqualTo("right");
      assertThat(step(doc, "decide").get("attempts").asInt()).isEqualTo(1);
    }
  }
}
