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
import io.tasker.worker.StepHandler;
import io.tasker.worker.StepResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * tasker-core's retry lifecycle, end to end: retries that recover or run out, a handler's
 * Retry-After hint, and {@code retryable: false}. Permanent failures: {@link
 * PermanentFailureLifecycleTest}.
 */
class FailureAndRetryLifecycleTest {
  private final FailureFixture fx = new FailureFixture();

  // ---- 3. retries ----

  @Test
  void aStepFailingRetryablyTwiceRecoversOnTheThirdAttempt() throws Exception {
    try (EngineHarness h = new EngineHarness("fail_retry_recover")) {
      var doc =
          runTask(
              h,
              FailureFixture.CHAIN4,
              "chain4",
              fx.stepAnswering(
                  "b",
                  (ctx, n) ->
                      n < 3
                          ? StepResult.failure("flaky " + n, "flaky", true)
                          : FailureFixture.ok(ctx)));

      assertThat(state(doc)).isEqualTo(TaskState.COMPLETE);
      JsonNode b = step(doc, "b");
      assertThat(text(b, "state")).isEqualTo("complete");
      assertThat(attempts(b)).isEqualTo(3);
      assertThat(b.get("result").get("attempt").asInt()).isEqualTo(3);
      assertThat(b.get("error").isNull()).isTrue();
      assertThat(fx.calls("b")).isEqualTo(3);
      for (String other : List.of("a", "c", "d")) {
        assertThat(text(step(doc, other), "state")).as(other).isEqualTo("complete");
        assertThat(attempts(step(doc, other))).as(other).isEqualTo(1);
        assertThat(fx.calls(other)).as(other).isEqualTo(1);
      }
      assertThat(h.stepTransitions(stepUuid(doc, "b")))
          .extracting(Transition::to)
          .containsExactly(
              "pending",
              "enqueued",
              "in_progress",
              "enqueued_as_error_for_orchestration",
              "waiting_for_retry",
              "enqueued",
              "in_progress",
              "enqueued_as_error_for_orchestration",
              "waiting_for_retry",
              "enqueued",
              "in_progress",
              "complete");
    }
  }

  @Test
  void aStepThatAlwaysFailsRetryablyErrorsAfterMaxAttempts() throws Exception {
    try (EngineHarness h = new EngineHarness("fail_retry_exhaust")) {
      var doc =
          runTask(
              h,
              FailureFixture.CHAIN4,
              "chain4",
              fx.stepAnswering(
                  "b", (ctx, n) -> StepResult.failure("still down (" + n + ")", "flaky", true)));

      assertThat(state(doc)).isEqualTo(TaskState.ERROR);
      JsonNode b = step(doc, "b");
      assertThat(text(b, "state")).isEqualTo("error");
      assertThat(attempts(b)).isEqualTo(3);
      assertThat(b.get("max_attempts").asInt()).isEqualTo(3);
      assertThat(b.get("error").get("error_type").asText()).isEqualTo("flaky");
      assertThat(b.get("error").get("message").asText()).isEqualTo("still down (3)");
      assertThat(b.get("error").get("retryable").asBoolean()).isTrue();
      assertThat(fx.calls("b")).isEqualTo(3);
      List<Transition> audit = h.stepTransitions(stepUuid(doc, "b"));
      assertThat(audit)
          .extracting(Transition::to)
          .filteredOn("waiting_for_retry"::equals)
          .hasSize(2);
      Transition last = audit.getLast();
      assertThat(last.from()).isEqualTo("enqueued_as_error_for_orchestration");
      assertThat(last.to()).isEqualTo("error");
      assertThat(last.metadata().get("reason").asText()).isEqualTo("attempts_exhausted");
      assertThat(last.metadata().get("attempts").asInt()).isEqualTo(3);
      for (String after : List.of("c", "d")) {
        assertThat(text(step(doc, after), "state")).as(after).isEqualTo("pending");
        assertThat(fx.calls(after)).as(after).isZero();
      }
    }
  }

  @Test
  void aRetryAfterHintDelaysTheNextAttemptAtLeastThatLong() throws Exception {
    try (EngineHarness h = new EngineHarness("fail_retry_after")) {
      var doc =
          runTask(h, FailureFixture.HINTED, "hinted", rateLimitingBOnce(Duration.ofSeconds(1)));

      Transition waiting = assertBWaitedAtLeast(h, doc, Duration.ofSeconds(1));
      assertThat(text(step(doc, "b"), "state")).isEqualTo("complete");
      assertThat(fx.calls("b")).isEqualTo(2);
      List<Transition> audit = h.stepTransitions(stepUuid(doc, "b"));
      assertThat(audit)
          .extracting(Transition::to)
          .containsExactlyElementsOf(EngineHarness.RETRIED_ONCE_THEN_COMPLETE);
      // the hint wins over the template's 10 ms backoff, exactly (no jitter on a hint)
      assertThat(waiting.metadata().get("retry_in_ms").asLong()).isEqualTo(1000);
      // and the step was not enqueued again before it was due
      Instant nextAttemptAt = Instant.parse(step(doc, "b").get("next_attempt_at").asText());
      assertThat(audit.get(5).createdAt()).isAfterOrEqualTo(nextAttemptAt);
    }
  }

  /**
   * The hint is stored in whole seconds; a 1.5 s hint must not become a 1 s wait ("at least that
   * long").
   */
  @Test
  void aFractionalRetryAfterHintIsNotRoundedDown() throws Exception {
    try (EngineHarness h = new EngineHarness("fail_retry_after_frac")) {
      var doc =
          runTask(h, FailureFixture.HINTED, "hinted", rateLimitingBOnce(Duration.ofMillis(1500)));

      Transition waiting = assertBWaitedAtLeast(h, doc, Duration.ofMillis(1500));
      assertThat(waiting.metadata().get("retry_in_ms").asLong())
          .as("retry_in_ms for a 1500 ms Retry-After")
          .isGreaterThanOrEqualTo(1500);
    }
  }

  /**
   * DESIGN.md §5: "a handler's Retry-After/backoff hint wins". The step's {@code max_backoff_ms}
   * caps the template's exponential backoff, not a delay the handler asked for (tasker-core caps a
   * server-requested delay only by the system-wide maximum).
   */
  @Test
  void aRetryAfterHintWinsOverTheStepsBackoffCap() throws Exception {
    try (EngineHarness h = new EngineHarness("fail_retry_after_cap")) {
      // b: backoff_base_ms 10, max_backoff_ms 50
      var doc =
          runTask(h, FailureFixture.CHAIN4, "chain4", rateLimitingBOnce(Duration.ofSeconds(1)));

      Transition waiting = assertBWaitedAtLeast(h, doc, Duration.ofSeconds(1));
      assertThat(waiting.metadata().get("retry_in_ms").asLong())
          .as("retry_in_ms for a 1 s Retry-After on a step with max_backoff_ms 50")
          .isEqualTo(1000);
    }
  }

  /** {@code t.step} that asks for a retry after {@code hint} on b's first call. */
  private StepHandler rateLimitingBOnce(Duration hint) {
    return fx.stepAnswering(
        "b",
        (ctx, n) ->
            n == 1
                ? StepResult.retryLater("rate limited", "rate_limited", hint)
                : FailureFixture.ok(ctx));
  }

  /**
   * Checks that the task completed with b on its second attempt, and (database clocks only) that
   * b's retry was due no earlier than {@code hint} after its failure was reported. Returns b's
   * {@code waiting_for_retry} transition.
   */
  private static Transition assertBWaitedAtLeast(EngineHarness h, JsonNode doc, Duration hint) {
    assertThat(state(doc)).isEqualTo(TaskState.COMPLETE);
    assertThat(attempts(step(doc, "b"))).isEqualTo(2);
    List<Transition> audit = h.stepTransitions(stepUuid(doc, "b"));
    assertThat(audit.get(4).to()).isEqualTo("waiting_for_retry");
    Instant nextAttemptAt = Instant.parse(step(doc, "b").get("next_attempt_at").asText());
    assertThat(Duration.between(audit.get(3).createdAt(), nextAttemptAt))
        .isGreaterThanOrEqualTo(hint);
    return audit.get(4);
  }

  // ---- 4. retryable: false ----

  @Test
  void aRetryableFailureOfANonRetryableStepEndsItAfterOneAttempt() throws Exception {
    try (EngineHarness h = new EngineHarness("fail_not_retryable")) {
      var doc =
          runTask(
              h,
              FailureFixture.NOT_RETRYABLE,
              "fragile",
              fx.stepAnswering(
                  "b", (ctx, n) -> StepResult.failure("transient trouble", "transient", true)));

      assertThat(state(doc)).isEqualTo(TaskState.ERROR);
      JsonNode b = step(doc, "b");
      assertThat(text(b, "state")).isEqualTo("error");
      assertThat(attempts(b)).isEqualTo(1);
      assertThat(fx.calls("b")).isEqualTo(1);
      assertThat(b.get("error").get("error_type").asText()).isEqualTo("transient");
      List<Transition> audit = h.stepTransitions(stepUuid(doc, "b"));
      assertThat(audit).extracting(Transition::to).doesNotContain("waiting_for_retry");
      assertThat(audit.getLast().to()).isEqualTo("error");
      assertThat(audit.getLast().metadata().get("reason").asText()).isEqualTo("not_retryable");
      assertThat(text(step(doc, "c"), "state")).isEqualTo("pending");
      assertThat(fx.calls("c")).isZero();
    }
  }
}
