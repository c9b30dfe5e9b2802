package io.tasker.orchestration;

import static io.tasker.orchestration.FailureFixture.attempts;
import static io.tasker.orchestration.FailureFixture.runTask;
import static io.tasker.orchestration.FailureFixture.text;
import static io.tasker.testing.EngineHarness.state;
import static io.tasker.testing.EngineHarness.step;
import static io.tasker.testing.EngineHarness.stepUuid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.state.TaskState;
import io.tasker.testing.EngineHarness;
import io.tasker.testing.EngineHarness.Transition;
import io.tasker.worker.PermanentError;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * tasker-core's failure lifecycle, end to end: permanent failures anywhere in a chain or a diamond.
 */
class PermanentFailureLifecycleTest {
  private static final List<String> CHAIN = List.of("a", "b", "c", "d");

  private final FailureFixture fx = new FailureFixture();

  // ---- 1. permanent failure at the start, in the middle, at the end of a 4-step chain ----

  @Test
  void aPermanentFailureOfTheFirstStepStopsTheChain() throws Exception {
    permanentFailureInChainAt("a");
  }

  @Test
  void aPermanentFailureInTheMiddleStopsTheChain() throws Exception {
    permanentFailureInChainAt("b");
  }

  @Test
  void aPermanentFailureOfTheLastStepFailsTheTask() throws Exception {
    permanentFailureInChainAt("d");
  }

  private void permanentFailureInChainAt(String failing) throws Exception {
    try (EngineHarness h = new EngineHarness("fail_chain_" + failing)) {
      var doc =
          runTask(
              h,
              FailureFixture.CHAIN4,
              "chain4",
              fx.stepAnswering(
                  failing,
                  (ctx, n) -> {
                    throw new PermanentError(failing + " is broken", "broken");
                  }));
      UUID task = UUID.fromString(doc.get("task_uuid").asText());

      assertThat(state(doc)).isEqualTo(TaskState.ERROR);
      int failedAt = CHAIN.indexOf(failing);
      for (int i = 0; i < CHAIN.size(); i++) {
        String name = CHAIN.get(i);
        JsonNode s = step(doc, name);
        if (i < failedAt) {
          assertThat(text(s, "state")).as(name).isEqualTo("complete");
          assertThat(attempts(s)).as(name).isEqualTo(1);
          assertThat(s.get("result").get("step").asText()).isEqualTo(name);
          assertThat(s.get("error").isNull()).as(name).isTrue();
          assertThat(fx.calls(name)).as(name).isEqualTo(1);
        } else if (i == failedAt) {
          assertThat(text(s, "state")).as(name).isEqualTo("error");
          assertThat(attempts(s)).as(name).isEqualTo(1);
          assertThat(s.get("result").isNull()).as(name).isTrue();
          assertThat(s.get("error").get("error_type").asText()).isEqualTo("broken");
          assertThat(s.get("error").get("message").asText()).isEqualTo(failing + " is broken");
          assertThat(s.get("error").get("retryable").asBoolean()).isFalse();
          assertThat(fx.calls(name)).as(name).isEqualTo(1);
          Transition last = h.stepTransitions(stepUuid(doc, name)).getLast();
          assertThat(last.from()).isEqualTo("enqueued_as_error_for_orchestration");
          assertThat(last.to()).isEqualTo("error");
          assertThat(last.metadata().get("reason").asText()).isEqualTo("not_retryable");
          assertThat(last.metadata().get("attempts").asInt()).isEqualTo(1);
        } else {
          assertThat(text(s, "state")).as(name).isEqualTo("pending");
          assertThat(attempts(s)).as(name).isZero();
          assertThat(fx.calls(name)).as(name).isZero();
          // never enqueued: its only audit row is the creation
          assertThat(h.stepTransitions(stepUuid(doc, name)))
              .extracting(Transition::to)
              .containsExactly("pending");
        }
      }
      assertThat(h.taskTransitions(task).getLast().to()).isEqualTo("error");
    }
  }

  // ---- 2. diamonds ----

  @Test
  void aDiamondWhoseBranchesBothFailErrorsAndLeavesTheJoinPending() throws Exception {
    try (EngineHarness h = new EngineHarness("fail_diamond_both")) {
      var doc =
          runTask(
              h,
              FailureFixture.DIAMOND,
              "diamond",
              ctx -> {
                fx.count(ctx);
                if (ctx.stepName().equals("b") || ctx.stepName().equals("c")) {
                  throw new PermanentError(ctx.stepName() + " failed", "branch_" + ctx.stepName());
                }
                return FailureFixture.ok(ctx);
              });

      assertThat(state(doc)).isEqualTo(TaskState.ERROR);
      assertThat(text(step(doc, "a"), "state")).isEqualTo("complete");
      for (String branch : List.of("b", "c")) {
        JsonNode s = step(doc, branch);
        assertThat(text(s, "state")).as(branch).isEqualTo("error");
        assertThat(attempts(s)).as(branch).isEqualTo(1);
        assertThat(s.get("error").get("error_type").asText()).isEqualTo("branch_" + branch);
        assertThat(fx.calls(branch)).as(branch).isEqualTo(1);
      }
      assertThat(text(step(doc, "d"), "state")).isEqualTo("pending");
      assertThat(attempts(step(doc, "d"))).isZero();
      assertThat(fx.calls("d")).isZero();
    }
  }

  @Test
  void aDiamondWithOneFailedBranchErrorsAndKeepsTheGoodBranchComplete() throws Exception {
    try (EngineHarness h = new EngineHarness("fail_diamond_one")) {
      var doc =
          runTask(
              h,
              FailureFixture.DIAMOND,
              "diamond",
              fx.stepAnswering(
                  "b",
                  (ctx, n) -> {
                    throw new PermanentError("b failed", "branch_b");
                  }));

      assertThat(state(doc)).isEqualTo(TaskState.ERROR);
      assertThat(text(step(doc, "a"), "state")).isEqualTo("complete");
      assertThat(text(step(doc, "b"), "state")).isEqualTo("error");
      assertThat(attempts(step(doc, "b"))).isEqualTo(1);
      assertThat(step(doc, "b").get("error").get("error_type").asText()).isEqualTo("branch_b");
      JsonNode c = step(doc, "c");
      assertThat(text(c, "state")).isEqualTo("complete");
      assertThat(attempts(c)).isEqualTo(1);
      assertThat(c.get("result").get("step").asText()).isEqualTo("c");
      assertThat(c.get("error").isNull()).isTrue();
      assertThat(text(step(doc, "d"), "state")).isEqualTo("pending");
      assertThat(fx.calls("d")).isZero();
    }
  }
}
