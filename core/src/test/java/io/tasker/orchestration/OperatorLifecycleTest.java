package io.tasker.orchestration;

import static io.tasker.testing.EngineHarness.state;
import static io.tasker.testing.EngineHarness.step;
import static io.tasker.testing.EngineHarness.stepUuid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import io.tasker.state.TaskState;
import io.tasker.testing.EngineHarness;
import io.tasker.testing.EngineHarness.Transition;
import io.tasker.worker.PermanentError;
import io.tasker.worker.StepContext;
import io.tasker.worker.StepResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Operator actions on running and failed tasks (DESIGN.md §5): resolve, complete or reset a failed
 * step so its dependents run; cancel a task while one of its steps is running.
 */
class OperatorLifecycleTest {
  private static final String CHAIN = LifecycleTemplates.addingChain("ops");

  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  /** What c saw as b's result. */
  private final Map<String, JsonNode> seenByC = new ConcurrentHashMap<>();

  private int calls(String step) {
    AtomicInteger n = calls.get(step);
    return n == null ? 0 : n.get();
  }

  private StepResult add(StepContext ctx) {
    calls.computeIfAbsent(ctx.stepName(), k -> new AtomicInteger()).incrementAndGet();
    if (ctx.stepName().equals("c")) {
      seenByC.put("b", ctx.dependencyResult("b"));
    }
    long sum = ctx.config("n").asLong();
    for (var r : ctx.dependencyResults().values()) {
      sum += r.path("sum").asLong();
    }
    return StepResult.success(Map.of("sum", sum, "attempt", ctx.attempts()));
  }

  /** Runs the chain with b failing permanently until {@code broken} is cleared. */
  private JsonNode failAtB(EngineHarness h, AtomicBoolean broken) throws Exception {
    h.handler(
            "t.add",
            ctx -> {
              if (ctx.stepName().equals("b") && broken.get()) {
                calls.computeIfAbsent("b", k -> new AtomicInteger()).incrementAndGet();
                throw new PermanentError("b is broken", "broken");
              }
              return add(ctx);
            })
        .register(CHAIN)
        .start(List.of("ops"));
    var doc = h.runToEnd(h.create("ops", "chain", "{}"));
    assertThat(state(doc)).isEqualTo(TaskState.ERROR);
    assertThat(step(doc, "b").get("state").asText()).isEqualTo("error");
    assertThat(step(doc, "c").get("state").asText()).isEqualTo("pending");
    return doc;
  }

  private static java.util.UUID taskOf(JsonNode doc) {
    return java.util.UUID.fromString(doc.get("task_uuid").asText());
  }

  @Test
  void resolvingAFailedStepManuallyRunsItsDependentsAndCompletesTheTask() throws Exception {
    try (EngineHarness h = new EngineHarness("ops_resolve")) {
      var failed = failAtB(h, new AtomicBoolean(true));
      var task = taskOf(failed);
      var b = stepUuid(failed, "b");

      TaskState after = h.engine().operator().resolveManually(task, b, "ops");
      assertThat(after).isEqualTo(TaskState.STEPS_IN_PROCESS);
      var doc = h.runToEnd(task);

      assertThat(state(doc)).isEqualTo(TaskState.COMPLETE);
      assertThat(step(doc, "b").get("state").asText()).isEqualTo("resolved_manually");
      assertThat(step(doc, "b").get("attempts").asInt()).isEqualTo(1);
      assertThat(calls("b")).isEqualTo(1);
      JsonNode c = step(doc, "c");
      assertThat(c.get("state").asText()).isEqualTo("complete");
      assertThat(c.get("attempts").asInt()).isEqualTo(1);
      assertThat(calls("c")).isEqualTo(1);
      // b has no result: c sees null and adds nothing for it
      assertThat(seenByC.get("b").isNull()).isTrue();
      assertThat(c.get("result").get("sum").asLong()).isEqualTo(3);
      Transition last = h.stepTransitions(b).getLast();
      assertThat(last.from()).isEqualTo("error");
      assertThat(last.to()).isEqualTo("resolved_manually");
      assertThat(last.metadata().get("action").asText()).isEqualTo("resolve_manually");
      assertThat(last.metadata().get("reason").asText()).isEqualTo("ops");
    }
  }

  @Test
  void completingAFailedStepManuallyHandsItsResultToTheDependents() throws Exception {
    try (EngineHarness h = new EngineHarness("ops_complete")) {
      var failed = failAtB(h, new AtomicBoolean(true));
      var task = taskOf(failed);
      var b = stepUuid(failed, "b");

      TaskState after =
          h.engine()
              .operator()
              .completeManually(task, b, Json.parse("{\"sum\": 100}", "result"), "fixed by hand");
      assertThat(after).isEqualTo(TaskState.STEPS_IN_PROCESS);
      var doc = h.runToEnd(task);

      assertThat(state(doc)).isEqualTo(TaskState.COMPLETE);
      JsonNode bDoc = step(doc, "b");
      assertThat(bDoc.get("state").asText()).isEqualTo("complete");
      assertThat(bDoc.get("attempts").asInt()).isEqualTo(1);
      assertThat(bDoc.get("result")).isEqualTo(Json.parse("{\"sum\": 100}", "result"));
      assertThat(bDoc.get("error").isNull()).isTrue();
      assertThat(calls("b")).isEqualTo(1);
      assertThat(seenByC.get("b")).isEqualTo(Json.parse("{\"sum\": 100}", "result"));
      assertThat(step(doc, "c").get("result").get("sum").asLong()).isEqualTo(103);
      Transition last = h.stepTransitions(b).getLast();
      assertThat(last.from()).isEqualTo("error");
      assertThat(last.to()).isEqualTo("complete");
      assertThat(last.metadata().get("action").asText()).isEqualTo("complete_manually");
      assertThat(last.metadata().get("reason").asText()).isEqualTo("fixed by hand");
    }
  }

  @Test
  void resettingAFailedStepRunsItAgainWithFreshAttempts() throws Exception {
    AtomicBoolean broken = new AtomicBoolean(true);
    try (EngineHarness h = new EngineHarness("ops_reset")) {
      var failed = failAtB(h, broken);
      var task = taskOf(failed);
      var b = stepUuid(failed, "b");
      assertThat(step(failed, "b").get("attempts").asInt()).isEqualTo(1);

      broken.set(false);
      TaskState after = h.engine().operator().resetForRetry(task, b, "handler fixed");
      assertThat(after).isEqualTo(TaskState.STEPS_IN_PROCESS);
      var doc = h.runToEnd(task);

      assertThat(state(doc)).isEqualTo(TaskState.COMPLETE);
      JsonNode bDoc = step(doc, "b");
      assertThat(bDoc.get("state").asText()).isEqualTo("complete");
      // attempts started over: the rerun is attempt 1 again
      assertThat(bDoc.get("attempts").asInt()).isEqualTo(1);
      assertThat(bDoc.get("result").get("attempt").asInt()).isEqualTo(1);
      assertThat(bDoc.get("error").isNull()).isTrue();
      assertThat(calls("b")).isEqualTo(2);
      assertThat(step(doc, "c").get("result").get("sum").asLong()).isEqualTo(6);
      List<Transition> audit = h.stepTransitions(b);
      assertThat(audit)
          .extracting(Transition::to)
          .containsExactly(
              "pending",
              "enqueued",
              "in_progress",
              "enqueued_as_error_for_orchestration",
              "error",
              "pending",
              "enqueued",
              "in_progress",
              "complete");
      Transition reset = audit.get(5);
      assertThat(reset.metadata().get("action").asText()).isEqualTo("reset_for_retry");
      assertThat(reset.metadata().get("reason").asText()).isEqualTo("handler fixed");
    }
  }

  @Test
  void cancellingARunningTaskIgnoresTheLateReportAndRunsNothingAfterIt() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean returned = new AtomicBoolean();
    try (EngineHarness h = new EngineHarness("ops_cancel")) {
      h.handler(
              "t.add",
              ctx -> {
                if (ctx.stepName().equals("b")) {
                  calls.computeIfAbsent("b", k -> new AtomicInteger()).incrementAndGet();
                  started.countDown();
                  release.await();
                  returned.set(true);
                  return StepResult.success(Map.of("sum", 42));
                }
                return add(ctx);
              })
          .register(CHAIN)
          .start(List.of("ops"));
      var task = h.create("ops", "chain", "{}");
      assertThat(started.await(30, TimeUnit.SECONDS)).as("b started").isTrue();

      assertThat(h.engine().operator().cancel(task, "user asked")).isEqualTo(TaskState.CANCELLED);
      release.countDown();
      // closing the worker waits for b's handler to return and its report to be handled
      h.stopWorker(Duration.ofSeconds(30));
      assertThat(returned).as("b's handler returned (a late report was made)").isTrue();

      var doc = h.runToEnd(task);
      assertThat(state(doc)).isEqualTo(TaskState.CANCELLED);
      assertThat(step(doc, "a").get("state").asText()).isEqualTo("complete");
      JsonNode b = step(doc, "b");
      assertThat(b.get("state").asText()).isEqualTo("cancelled");
      assertThat(b.get("attempts").asInt()).isEqualTo(1);
      assertThat(b.get("result").isNull()).as("the late result was not stored").isTrue();
      JsonNode c = step(doc, "c");
      assertThat(c.get("state").asText()).isEqualTo("cancelled");
      assertThat(c.get("attempts").asInt()).isZero();
      assertThat(calls("b")).isEqualTo(1);
      assertThat(calls("c")).isZero();
      assertThat(h.stepTransitions(stepUuid(doc, "b")))
          .extracting(Transition::to)
          .containsExactly("pending", "enqueued", "in_progress", "cancelled");
      assertThat(h.stepTransitions(stepUuid(doc, "c")))
          .extracting(Transition::to)
          .containsExactly("pending", "cancelled");
      Transition taskLast = h.taskTransitions(task).getLast();
      assertThat(taskLast.to()).isEqualTo("cancelled");
      assertThat(taskLast.metadata().get("reason").asText()).isEqualTo("user asked");
      // nothing of this task is left for a worker or the orchestrator to act on
      assertThat(
              h.db()
                  .queryLong(
                      "select count(*) from pgmq.q_orchestration_step_results"
                          + " where message->>'task_uuid' = '"
                          + task
                          + "'"))
          .isZero();
    }
  }
}
