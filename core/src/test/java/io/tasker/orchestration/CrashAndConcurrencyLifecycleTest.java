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
import io.tasker.worker.StepResult;
import io.tasker.worker.WorkerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Processes die and run side by side (DESIGN.md §1, §5): a worker that dies holding a step loses
 * nothing, and two orchestrators with two workers never complete a step twice.
 */
class CrashAndConcurrencyLifecycleTest {
  private static final String CRASHY =
      """
      name: crashy
      namespace_name: crash
      version: 1.0.0
      steps:
        - name: work
          handler: {callable: t.work}
          timeout_seconds: 1
          retry: {retryable: true, max_attempts: 3, backoff_base_ms: 10, max_backoff_ms: 50}
        - name: after
          dependencies: [work]
          handler: {callable: t.after}
      """;

  private static final String DIAMOND = LifecycleTemplates.diamond("diamond", "multi");

  private static final WorkerConfig CRASH_WORKER =
      WorkerConfig.of(List.of("crash")).withDeadlineGrace(Duration.ofMillis(500));

  // for the t.work handlers of the crash tests (JUnit makes a new instance per test)
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger sideEffects = new AtomicInteger();
  private final CountDownLatch firstStarted = new CountDownLatch(1);
  private final CountDownLatch never = new CountDownLatch(1);

  @Test
  void aStepHeldByAWorkerThatDiesIsTakenOverByAnotherAndCompletedOnce() throws Exception {
    try (EngineHarness h = new EngineHarness("crash_worker")) {
      h.handler(
              "t.work",
              ctx -> {
                if (calls.incrementAndGet() == 1) {
                  firstStarted.countDown();
                  never.await(); // hangs until its worker is gone
                  sideEffects.incrementAndGet();
                  return StepResult.success(Map.of("late", true));
                }
                sideEffects.incrementAndGet();
                return StepResult.success(Map.of("attempt", ctx.attempts()));
              })
          .handler("t.after", ctx -> StepResult.success(ctx.dependencyResult("work")))
          .register(CRASHY)
          .startOrchestrator();
      EngineHarness.Node doomed = h.node();
      doomed.startWorker(CRASH_WORKER);
      UUID task = h.create("crash", "crashy", "{}");
      assertThat(firstStarted.await(30, TimeUnit.SECONDS)).as("first attempt started").isTrue();

      doomed.kill();
      h.startWorker(CRASH_WORKER);
      var doc = h.runToEnd(task);

      assertThat(state(doc)).isEqualTo(TaskState.COMPLETE);
      JsonNode work = step(doc, "work");
      assertThat(work.get("state").asText()).isEqualTo("complete");
      assertThat(work.get("attempts").asInt()).isEqualTo(2);
      assertThat(work.get("result")).isEqualTo(Json.parse("{\"attempt\": 2}", "result"));
      assertThat(calls).hasValue(2);
      assertThat(sideEffects).hasValue(1);
      assertThat(step(doc, "after").get("result"))
          .isEqualTo(Json.parse("{\"attempt\": 2}", "result"));
      List<Transition> audit = h.stepTransitions(stepUuid(doc, "work"));
      assertThat(audit)
          .extracting(Transition::to)
          .containsExactly("pending", "enqueued", "in_progress", "in_progress", "complete");
      // the take-over is on record: the message came back by visibility timeout
      assertThat(audit.get(3).metadata().get("redelivered").asBoolean()).isTrue();
      assertThat(audit.get(3).metadata().get("read_ct").asInt()).isEqualTo(2);
    }
  }

  /**
   * Worker.close(grace): "handlers in progress get grace to finish and report". A handler that
   * outlives the grace is interrupted and its step reported as a retryable {@code worker_shutdown}
   * failure (StepOutcomes), so another worker retries it after the step's backoff instead of
   * waiting out the visibility timeout.
   */
  @Test
  void aWorkerStoppedWhileItsHandlerHangsReportsTheStepForRetry() throws Exception {
    try (EngineHarness h = new EngineHarness("crash_shutdown")) {
      h.handler(
              "t.work",
              ctx -> {
                if (calls.incrementAndGet() == 1) {
                  firstStarted.countDown();
                  never.await(); // until the worker interrupts it
                }
                sideEffects.incrementAndGet();
                return StepResult.success(Map.of("attempt", ctx.attempts()));
              })
          .handler("t.after", ctx -> StepResult.success(ctx.dependencyResult("work")))
          .register(CRASHY.replace("timeout_seconds: 1", "timeout_seconds: 3"))
          .start(CRASH_WORKER);
      UUID task = h.create("crash", "crashy", "{}");
      assertThat(firstStarted.await(30, TimeUnit.SECONDS)).as("first attempt started").isTrue();

      h.stopWorker(Duration.ofMillis(100));
      h.startWorker(CRASH_WORKER);
      var doc = h.runToEnd(task);

      assertThat(state(doc)).isEqualTo(TaskState.COMPLETE);
      JsonNode work = step(doc, "work");
      assertThat(work.get("attempts").asInt()).isEqualTo(2);
      assertThat(sideEffects).hasValue(1);
      assertThat(h.stepTransitions(stepUuid(doc, "work")))
          .extracting(Transition::to)
          .as("the interrupted attempt is reported as a failure, not left to redelivery")
          .containsExactlyElementsOf(EngineHarness.RETRIED_ONCE_THEN_COMPLETE);
    }
  }

  @Test
  void twoOrchestratorsAndTwoWorkersCompleteEveryStepExactlyOnce() throws Exception {
    int tasks = 20;
    AtomicInteger calls = new AtomicInteger();
    try (EngineHarness h = new EngineHarness("multi_process")) {
      h.handler(
              "t.step",
              ctx -> {
                calls.incrementAndGet();
                return StepResult.success(Map.of("step", ctx.stepName()));
              })
          .register(DIAMOND)
          .start(List.of("multi"));
      EngineHarness.Node second = h.node();
      second.startOrchestrator();
      second.startWorker(WorkerConfig.of(List.of("multi")));

      List<UUID> created = new ArrayList<>();
      try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<UUID>> futures = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
          Engine engine = i % 2 == 0 ? h.engine() : second.engine();
          var request = TaskRequest.of("multi", "diamond", Json.parse("{\"i\": " + i + "}", "ctx"));
          futures.add(
              clients.submit(
                  () -> {
                    go.await();
                    return engine.createTask(request);
                  }));
        }
        go.countDown();
        for (Future<UUID> f : futures) {
          created.add(f.get(60, TimeUnit.SECONDS));
        }
      }
      assertThat(created).doesNotHaveDuplicates().hasSize(tasks);

      for (UUID task : created) {
        var doc = h.runToEnd(task);
        assertThat(state(doc)).as("task %s", task).isEqualTo(TaskState.COMPLETE);
        for (JsonNode s : doc.get("steps")) {
          assertThat(s.get("state").asText())
              .as("%s of %s", s.get("name"), task)
              .isEqualTo("complete");
          assertThat(s.get("attempts").asInt()).as("%s of %s", s.get("name"), task).isEqualTo(1);
        }
      }
      assertThat(calls).hasValue(tasks * 4);
      var db = h.db();
      assertThat(db.queryLong("select count(*) from tasker.workflow_steps")).isEqualTo(tasks * 4L);
      assertThat(
              db.queryLong(
                  "select count(*) from tasker.workflow_step_transitions where to_state = 'complete'"))
          .isEqualTo(tasks * 4L);
      assertThat(
              db.queryLong(
                  """
                  select count(*) from tasker.workflow_steps s
                   where (select count(*) from tasker.workflow_step_transitions t
                           where t.workflow_step_uuid = s.workflow_step_uuid
                             and t.to_state = 'complete') <> 1
                  """))
          .as("steps without exactly one transition to complete")
          .isZero();
      assertThat(
              db.queryLong(
                  "select count(*) from tasker.workflow_step_transitions where to_state = 'in_progress'"))
          .as("claims (no step was claimed twice)")
          .isEqualTo(tasks * 4L);
      assertThat(
              db.queryLong(
                  "select count(*) from tasker.task_transitions where to_state = 'complete'"))
          .isEqualTo(tasks);
      // every message was consumed: nothing left to redeliver
      assertThat(db.queryLong("select count(*) from pgmq.q_worker_multi_queue")).isZero();
      assertThat(db.queryLong("select count(*) from pgmq.q_orchestration_step_results")).isZero();
    }
  }

  @Test
  void anUnparseableStepMessageIsArchivedAndTheWorkerGoesOn() throws Exception {
    try (EngineHarness h = new EngineHarness("poison_step")) {
      h.handler("t.step", ctx -> StepResult.success(Map.of("ok", true)))
          .register(LifecycleTemplates.chain("poisoned", "poison"))
          .start(List.of("poison"));
      String queue = Queues.worker("poison");
      long poison = h.engine().queue().send(queue, "[1, 2]");
      long alsoPoison =
          h.engine().queue().send(queue, "{\"task_uuid\": \"not-a-uuid\", \"step_uuid\": \"x\"}");
      UUID task = h.create("poison", "poisoned", "{}");

      assertThat(EngineHarness.state(h.runToEnd(task))).isEqualTo(TaskState.COMPLETE);
      assertThat(
              h.db()
                  .queryLong(
                      "select count(*) from pgmq.a_"
                          + queue
                          + " where msg_id in ("
                          + poison
                          + ", "
                          + alsoPoison
                          + ")"))
          .as("both poisoned messages archived, not retried")
          .isEqualTo(2);
      assertThat(h.db().queryLong("select count(*) from pgmq.q_" + queue)).isZero();
    }
  }
}
