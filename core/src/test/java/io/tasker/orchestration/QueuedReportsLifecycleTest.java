package io.tasker.orchestration;

import static io.tasker.testing.EngineHarness.state;
import static io.tasker.testing.EngineHarness.step;
import static org.assertj.core.api.Assertions.assertThat;

import io.tasker.state.TaskState;
import io.tasker.testing.EngineHarness;
import io.tasker.worker.StepResult;
import io.tasker.worker.WorkerConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Workers that send their reports to {@code orchestration_step_results} instead of recording them
 * inline: the orchestrator's path (DESIGN.md §2 flow) must give the same outcomes.
 */
class QueuedReportsLifecycleTest {
  private static WorkerConfig queued(String namespace) {
    return WorkerConfig.of(List.of(namespace)).withInlineResults(false);
  }

  @Test
  void aDiamondCompletesThroughTheOrchestratorsResultsQueue() throws Exception {
    try (EngineHarness h = new EngineHarness("queued_reports")) {
      h.handler("t.step", ctx -> StepResult.success(Map.of("step", ctx.stepName())))
          .register(LifecycleTemplates.diamond("diamond", "queued"))
          .start(queued("queued"));
      var doc = h.runToEnd(h.create("queued", "diamond", "{}"));
      assertThat(state(doc)).isEqualTo(TaskState.COMPLETE);
      for (String s : List.of("a", "b", "c", "d")) {
        assertThat(step(doc, s).get("state").asText()).isEqualTo("complete");
        assertThat(step(doc, s).get("attempts").asInt()).isEqualTo(1);
        // the report waited in the results queue: the audit trail shows that wait
        assertThat(h.stepTransitions(EngineHarness.stepUuid(doc, s)))
            .extracting(EngineHarness.Transition::to)
            .containsExactly(
                "pending", "enqueued", "in_progress", "enqueued_for_orchestration", "complete");
      }
      assertThat(h.db().queryLong("select count(*) from pgmq.a_orchestration_step_results"))
          .isZero();
      assertThat(h.db().queryLong("select count(*) from pgmq.q_orchestration_step_results"))
          .isZero();
    }
  }

  @Test
  void retriesAndPermanentFailuresAreDecidedByTheOrchestrator() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (EngineHarness h = new EngineHarness("queued_failures")) {
      h.handler(
              "t.step",
              ctx -> {
                if (ctx.stepName().equals("b") && calls.incrementAndGet() < 3) {
                  return StepResult.failure("flaky", "transient", true);
                }
                if (ctx.stepName().equals("c")) {
                  return StepResult.failure("broken", "broken", false);
                }
                return StepResult.success(Map.of());
              })
          .register(LifecycleTemplates.chain("chain", "queuedf", "b"))
          .start(queued("queuedf"));
      var chain = h.runToEnd(h.create("queuedf", "chain", "{}"));
      assertThat(state(chain)).isEqualTo(TaskState.ERROR);
      assertThat(step(chain, "b").get("attempts").asInt()).isEqualTo(3);
      assertThat(step(chain, "b").get("state").asText()).isEqualTo("complete");
      assertThat(step(chain, "c").get("state").asText()).isEqualTo("error");
      assertThat(step(chain, "c").get("error").get("error_type").asText()).isEqualTo("broken");
      assertThat(step(chain, "d").get("state").asText()).isEqualTo("pending");
    }
  }
}
