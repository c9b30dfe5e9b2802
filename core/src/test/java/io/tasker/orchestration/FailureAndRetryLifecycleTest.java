package io.tasker.orchestration;

import static io.tasker.testing.EngineHarness.state;
import static io.tasker.testing.EngineHarness.step;
import static io.tasker.testing.EngineHarness.stepUuid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.state.TaskState;
import io.tasker.testing.EngineHarness;
import io.tasker.testing.EngineHarness.Transition;
import io.tasker.worker.PermanentError;
import io.tasker.worker.StepContext;
import io.tasker.worker.StepResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * tasker-core's failure lifecycle, end to end: permanent failures anywhere in a chain or a diamond,
 * retries that recover or run out, a handler's Retry-After hint, and {@code retryable: false}.
 */
class FailureAndRetryLifecycleTest {
  private static final List<String> CHAIN = List.of("a", "b", "c", "d");

  private static final String CHAIN4 =
      """
      name: chain4
      namespace_name: fail
      version: 1.0.0
      steps:
        - name: a
          handler: {callable: t.step}
          retry: {retryable: true, max_attempts: 3, backoff_base_ms: 10, max_backoff_ms: 50}
        - name: b
          dependencies: [a]
          handler: {callable: t.step}
          retry: {retryable: true, max_attempts: 3, backoff_base_ms: 10, max_backoff_ms: 50}
        - name: c
          dependencies: [b]
          handler: {callable: t.step}
          retry: {retryable: true, max_attempts: 3, backoff_base_ms: 10, max_backoff_ms: 50}
        - name: d
          dependencies: [c]
          handler: {callable: t.step}
          retry: {retryable: true, max_attempts: 3, backoff_base_ms: 10, max_backoff_ms: 50}
      """;

  private static final String DIAMOND =
      """
      name: diamond
      namespace_name: fail
      version: 1.0.0
      steps:
        - name: a
          handler: {callable: t.step}
          retry: {retryable: true, max_attempts: 3, backoff_base_ms: 10, max_backoff_ms: 50}
        - name: b
          dependencies: [a]
          handler: {callable: t.step}
          retry: {retryable: true, max_attempts: 3, backoff_base_ms: 10, max_backoff_ms: 50}
        - name: c
          dependencies: [a]
          handler: {callable: t.step}
          retry: {retryable: true, max_attempts: 3, backoff_base_ms: 10, max_backoff_ms: 50}
        - name: d
          dependencies: [b, c]
          handler: {callable: t.step}
          retry: {retryable: true, max_attempts: 3, backoff_base_ms: 10, max_backoff_ms: 50}
      """;

  /** b has a long backoff cap so a Retry-After hint is not cut short by it. */
  private static final String HINTED =
      """
      name: hinted
      namespace_name: fail
      version: 1.0.0
      steps:
        - name: a
          handler: {callable: t.step}
        - name: b
          dependencies: [a]
          handler: {callable: t.step}
          retry: {retryable: true, max_attempts: 3, backoff_base_ms: 10, max_backoff_ms: 60000}
      """;

  private static final String NOT_RETRYABLE =
      """
      name: fragile
      namespace_name: fail
      version: 1.0.0
      steps:
        - name: a
          handler: {callable: t.step}
        - name: b
          dependencies: [a]
          handler: {callable: t.step}
          retry: {retryable: false, max_attempts: 3, backoff_base_ms: 10, max_backoff_ms: 50}
        - name: c
          dependencies: [b]
          handler: {callable: t.step}
      """;

  /** Calls per step name. */
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  private int calls(String step) {
    AtomicInteger n = calls.get(step);
    return n == null ? 0 : n.get();
  }

  private int count(StepContext ctx) {
    return calls.computeIfAbsent(ctx.stepName(), k -> new AtomicInteger()).incrementAndGet();
  }

  private static StepResult ok(StepContext ctx) {
    return StepResult.success(Map.of("step", ctx.stepName(), "attempt", ctx.attempts()));
  }

  private static String text(JsonNode step, String field) {
    return step.get(field).asText();
  }

  private static int attempts(JsonNode step) {
    return step.get("attempts").asInt();
  }

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
      h.handler(
              "t.step",
              ctx -> {
                count(ctx);
                if (ctx.stepName().equals(failing)) {
                  throw new PermanentError(failing + " is broken", "broken");
                }
                return ok(ctx);
              })
          .register(CHAIN4)
          .start(List.of("fail"));
      var task = h.create("fail", "chain4", "{}");
      var doc = h.runToEnd(task);

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
          assertThat(calls(name)).as(name).isEqualTo(1);
        } else if (i == failedAt) {
          assertThat(text(s, "state")).as(name).isEqualTo("error");
          assertThat(attempts(s)).as(name).isEqualTo(1);
          assertThat(s.get("result").isNull()).as(name).isTrue();
          assertThat(s.get("error").get("error_type").asText()).isEqualTo("broken");
          assertThat(s.get("error").get("message").asText()).isEqualTo(failing + " is broken");
          assertThat(s.get("error").get("retryable").asBoolean()).isFalse();
          assertThat(calls(name)).as(name).isEqualTo(1);
          Transition last = h.stepTransitions(stepUuid(doc, name)).getLast();
          assertThat(last.from()).isEqualTo("enqueued_as_error_for_orchestration");
          assertThat(last.to()).isEqualTo("error");
          assertThat(last.metadata().get("reason").asText()).isEqualTo("not_retryable");
          assertThat(last.metadata().get("attempts").asInt()).isEqualTo(1);
        } else {
          assertThat(text(s, "state")).as(name).isEqualTo("pending");
          assertThat(attempts(s)).as(name).isZero();
          assertThat(calls(name)).as(name).isZero();
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
      h.handler(
              "t.step",
              ctx -> {
                count(ctx);
                if (ctx.stepName().equals("b") || ctx.stepName().equals("c")) {
                  throw new PermanentError(ctx.stepName() + " failed", "branch_" + ctx.stepName());
                }
                return ok(ctx);
              })
          .register(DIAMOND)
          .start(List.of("fail"));
      var doc = h.runToEnd(h.create("fail", "diamond", "{}"));

      assertThat(state(doc)).isEqualTo(TaskState.ERROR);
      assertThat(text(step(doc, "a"), "state")).isEqualTo("complete");
      for (String branch : List.of("b", "c")) {
        JsonNode s = step(doc, branch);
        assertThat(text(s, "state")).as(branch).isEqualTo("error");
        assertThat(attempts(s)).as(branch).isEqualTo(1);
        assertThat(s.get("error").get("error_type").asText()).isEqualTo("branch_" + branch);
        assertThat(calls(branch)).as(branch).isEqualTo(1);
      }
      assertThat(text(step(doc, "d"), "state")).isEqualTo("pending");
      assertThat(attempts(step(doc, "d"))).isZero();
      assertThat(calls("d")).isZero();
    }
  }

  @Test
  void aDiamondWithOneFailedBranchErrorsAndKeepsTheGoodBranchComplete() throws Exception {
    try (EngineHarness h = new EngineHarness("fail_diamond_one")) {
      h.handler(
              "t.step",
              ctx -> {
                count(ctx);
                if (ctx.stepName().equals("b")) {
                  throw new PermanentError("b failed", "branch_b");
                }
                return ok(ctx);
              })
          .register(DIAMOND)
          .start(List.of("fail"));
      var doc = h.runToEnd(h.create("fail", "diamond", "{}"));

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
      assertThat(calls("d")).isZero();
    }
  }

  // ---- 3. retries ----

  @Test
  void aStepFailingRetryablyTwiceRecoversOnTheThirdAttempt() throws Exception {
    try (EngineHarness h = new EngineHarness("fail_retry_recover")) {
      h.handler(
              "t.step",
              ctx -> {
                int n = count(ctx);
                if (ctx.stepName().equals("b") && n < 3) {
                  return StepResult.failure("flaky " + n, "flaky", true);
                }
                return ok(ctx);
              })
          .register(CHAIN4)
          .start(List.of("fail"));
      var doc = h.runToEnd(h.create("fail", "chain4", "{}"));

      assertThat(state(doc)).isEqualTo(TaskState.COMPLETE);
      JsonNode b = step(doc, "b");
      assertThat(text(b, "state")).isEqualTo("complete");
      assertThat(attempts(b)).isEqualTo(3);
      assertThat(b.get("result").get("attempt").asInt()).isEqualTo(3);
      assertThat(b.get("error").isNull()).isTrue();
      assertThat(calls("b")).isEqualTo(3);
      for (String other : List.of("a", "c", "d")) {
        assertThat(text(step(doc, other), "state")).as(other).isEqualTo("complete");
        assertThat(attempts(step(doc, other))).as(other).isEqualTo(1);
        assertThat(calls(other)).as(other).isEqualTo(1);
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
              "enqueued_for_orchestration",
              "complete");
    }
  }

  @Test
  void aStepThatAlwaysFailsRetryablyErrorsAfterMaxAttempts() throws Exception {
    try (EngineHarness h = new EngineHarness("fail_retry_exhaust")) {
      h.handler(
              "t.step",
              ctx -> {
                int n = count(ctx);
                if (ctx.stepName().equals("b")) {
                  return StepResult.failure("still down (" + n + ")", "flaky", true);
                }
                return ok(ctx);
              })
          .register(CHAIN4)
          .start(List.of("fail"));
      var doc = h.runToEnd(h.create("fail", "chain4", "{}"));

      assertThat(state(doc)).isEqualTo(TaskState.ERROR);
      JsonNode b = step(doc, "b");
      assertThat(text(b, "state")).isEqualTo("error");
      assertThat(attempts(b)).isEqualTo(3);
      assertThat(b.get("max_attempts").asInt()).isEqualTo(3);
      assertThat(b.get("error").get("error_type").asText()).isEqualTo("flaky");
      assertThat(b.get("error").get("message").asText()).isEqualTo("still down (3)");
      assertThat(b.get("error").get("retryable").asBoolean()).isTrue();
      assertThat(calls("b")).isEqualTo(3);
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
        assertThat(calls(after)).as(after).isZero();
      }
    }
  }

  @Test
  void aRetryAfterHintDelaysTheNextAttemptAtLeastThatLong() throws Exception {
    try (EngineHarness h = new EngineHarness("fail_retry_after")) {
      h.handler(
              "t.step",
              ctx -> {
                int n = count(ctx);
                if (ctx.stepName().equals("b") && n == 1) {
                  return StepResult.retryLater(
                      "rate limited", "rate_limited", Duration.ofSeconds(1));
                }
                return ok(ctx);
              })
          .register(HINTED)
          .start(List.of("fail"));
      var doc = h.runToEnd(h.create("fail", "hinted", "{}"));

      assertThat(state(doc)).isEqualTo(TaskState.COMPLETE);
      JsonNode b = step(doc, "b");
      assertThat(text(b, "state")).isEqualTo("complete");
      assertThat(attempts(b)).isEqualTo(2);
      assertThat(calls("b")).isEqualTo(2);

      List<Transition> audit = h.stepTransitions(stepUuid(doc, "b"));
      assertThat(audit)
          .extracting(Transition::to)
          .containsExactly(
              "pending",
              "enqueued",
              "in_progress",
              "enqueued_as_error_for_orchestration",
              "waiting_for_retry",
              "enqueued",
              "in_progress",
              "enqueued_for_orchestration",
              "complete");
      Transition reported = audit.get(3);
      Transition waiting = audit.get(4);
      Transition reEnqueued = audit.get(5);
      // the hint wins over the template's 10 ms backoff, exactly (no jitter on a hint)
      assertThat(waiting.metadata().get("retry_in_ms").asLong()).isEqualTo(1000);
      // database clocks only: the retry was due no earlier than 1 s after the failure was
      // reported, and the step was not enqueued again before it was due
      Instant nextAttemptAt = Instant.parse(b.get("next_attempt_at").asText());
      assertThat(Duration.between(reported.createdAt(), nextAttemptAt))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
      assertThat(reEnqueued.createdAt()).isAfterOrEqualTo(nextAttemptAt);
    }
  }

  /**
   * The hint is stored in whole seconds; a 1.5 s hint must not become a 1 s wait ("at least that
   * long").
   */
  @Test
  void aFractionalRetryAfterHintIsNotRoundedDown() throws Exception {
    try (EngineHarness h = new EngineHarness("fail_retry_after_frac")) {
      h.handler(
              "t.step",
              ctx -> {
                int n = count(ctx);
                if (ctx.stepName().equals("b") && n == 1) {
                  return StepResult.retryLater(
                      "rate limited", "rate_limited", Duration.ofMillis(1500));
                }
                return ok(ctx);
              })
          .register(HINTED)
          .start(List.of("fail"));
      var doc = h.runToEnd(h.create("fail", "hinted", "{}"));

      assertThat(state(doc)).isEqualTo(TaskState.COMPLETE);
      assertThat(attempts(step(doc, "b"))).isEqualTo(2);
      List<Transition> audit = h.stepTransitions(stepUuid(doc, "b"));
      assertThat(audit.get(4).to()).isEqualTo("waiting_for_retry");
      assertThat(audit.get(4).metadata().get("retry_in_ms").asLong())
          .as("retry_in_ms for a 1500 ms Retry-After")
          .isGreaterThanOrEqualTo(1500);
      Instant nextAttemptAt = Instant.parse(step(doc, "b").get("next_attempt_at").asText());
      assertThat(Duration.between(audit.get(3).createdAt(), nextAttemptAt))
          .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
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
      h.handler(
              "t.step",
              ctx -> {
                int n = count(ctx);
                if (ctx.stepName().equals("b") && n == 1) {
                  return StepResult.retryLater(
                      "rate limited", "rate_limited", Duration.ofSeconds(1));
                }
                return ok(ctx);
              })
          .register(CHAIN4) // b: backoff_base_ms 10, max_backoff_ms 50
          .start(List.of("fail"));
      var doc = h.runToEnd(h.create("fail", "chain4", "{}"));

      assertThat(state(doc)).isEqualTo(TaskState.COMPLETE);
      assertThat(attempts(step(doc, "b"))).isEqualTo(2);
      List<Transition> audit = h.stepTransitions(stepUuid(doc, "b"));
      assertThat(audit.get(4).to()).isEqualTo("waiting_for_retry");
      assertThat(audit.get(4).metadata().get("retry_in_ms").asLong())
          .as("retry_in_ms for a 1 s Retry-After on a step with max_backoff_ms 50")
          .isEqualTo(1000);
      Instant nextAttemptAt = Instant.parse(step(doc, "b").get("next_attempt_at").asText());
      assertThat(Duration.between(audit.get(3).createdAt(), nextAttemptAt))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }
  }

  // ---- 4. retryable: false ----

  @Test
  void aRetryableFailureOfANonRetryableStepEndsItAfterOneAttempt() throws Exception {
    try (EngineHarness h = new EngineHarness("fail_not_retryable")) {
      h.handler(
              "t.step",
              ctx -> {
                count(ctx);
                if (ctx.stepName().equals("b")) {
                  return StepResult.failure("transient trouble", "transient", true);
                }
                return ok(ctx);
              })
          .register(NOT_RETRYABLE)
          .start(List.of("fail"));
      var doc = h.runToEnd(h.create("fail", "fragile", "{}"));

      assertThat(state(doc)).isEqualTo(TaskState.ERROR);
      JsonNode b = step(doc, "b");
      assertThat(text(b, "state")).isEqualTo("error");
      assertThat(attempts(b)).isEqualTo(1);
      assertThat(calls("b")).isEqualTo(1);
      assertThat(b.get("error").get("error_type").asText()).isEqualTo("transient");
      List<Transition> audit = h.stepTransitions(stepUuid(doc, "b"));
      assertThat(audit).extracting(Transition::to).doesNotContain("waiting_for_retry");
      assertThat(audit.getLast().to()).isEqualTo("error");
      assertThat(audit.getLast().metadata().get("reason").asText()).isEqualTo("not_retryable");
      assertThat(text(step(doc, "c"), "state")).isEqualTo("pending");
      assertThat(calls("c")).isZero();
    }
  }
}
