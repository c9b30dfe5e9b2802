package io.tasker.orchestration;

import static io.tasker.testing.EngineHarness.state;
import static io.tasker.testing.EngineHarness.step;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.db.DatabaseUrl;
import io.tasker.state.TaskState;
import io.tasker.testing.CommitReplyDropper;
import io.tasker.testing.EngineHarness;
import io.tasker.worker.StepResult;
import io.tasker.worker.WorkerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A commit that succeeds while its reply is lost (the connection breaks right after PostgreSQL
 * committed: a restart, a failover, a network cut) must not strand work. Found by the
 * PostgreSQL-restart drill: a worker whose claim committed unseen left the step in progress, run by
 * nobody, until the visibility timeout (default 5 minutes).
 */
class AmbiguousCommitLifecycleTest {
  private static final String ONE_STEP =
      """
      name: one_step
      namespace_name: ambiguous
      version: 1.0.0
      steps:
        - name: work
          handler: {callable: t.work}
      """;

  @Test
  void aClaimThatCommittedUnseenIsStillRunByItsWorkerOnce() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (EngineHarness h = new EngineHarness("ambiguous_claim")) {
      h.handler("t.work", ctx -> StepResult.success(Map.of("calls", calls.incrementAndGet())))
          .register(ONE_STEP)
          .startOrchestrator();
      // the worker's next claim transaction loses its commit reply
      var end = runWithReplyDropped(h, "claim_steps", false, "ambiguous", "one_step");
      assertThat(state(end)).isEqualTo(TaskState.COMPLETE);
      assertThat(step(end, "work").get("attempts").asInt()).as("no attempt wasted").isEqualTo(1);
      assertThat(calls).as("the handler ran once").hasValue(1);
    }
  }

  private static final String TWO_STEPS =
      """
      name: two_steps
      namespace_name: ambiguous_report
      version: 1.0.0
      steps:
        - name: first
          handler: {callable: t.first}
        - name: second
          dependencies: [first]
          handler: {callable: t.second}
      """;

  /**
   * A success report claims the task's next step for its worker in the same statement (the chain
   * continues on the worker's thread); when that reply is lost, the worker asks which claim its
   * report made and runs it, instead of leaving the step to the visibility timeout.
   */
  @Test
  void aReportThatClaimedTheNextStepUnseenStillRunsItOnce() throws Exception {
    AtomicInteger first = new AtomicInteger();
    AtomicInteger second = new AtomicInteger();
    try (EngineHarness h = new EngineHarness("ambiguous_report")) {
      h.handler("t.first", ctx -> StepResult.success(Map.of("n", first.incrementAndGet())))
          .handler("t.second", ctx -> StepResult.success(Map.of("n", second.incrementAndGet())))
          .register(TWO_STEPS)
          .startOrchestrator();
      // the worker's next report (the first step's, which claims the second) loses its reply
      var end = runWithReplyDropped(h, "report_success", true, "ambiguous_report", "two_steps");
      assertThat(state(end)).isEqualTo(TaskState.COMPLETE);
      assertThat(step(end, "second").get("attempts").asInt()).as("no attempt wasted").isEqualTo(1);
      assertThat(first).as("the first handler ran once").hasValue(1);
      assertThat(second).as("the second handler ran once").hasValue(1);
    }
  }

  /**
   * Starts a worker whose connections pass through a proxy that drops the reply of the first
   * statement containing {@code marker} after its commit ({@code autocommit}: the statement is its
   * own transaction), runs one task of {@code template} and returns its final document; fails
   * unless the reply was dropped and the task finished long before the visibility timeout.
   */
  private static JsonNode runWithReplyDropped(
      EngineHarness h, String marker, boolean autocommit, String namespace, String template)
      throws Exception {
    DatabaseUrl direct = h.db().database().url();
    try (CommitReplyDropper proxy =
        new CommitReplyDropper(direct.host(), direct.port(), marker, autocommit)) {
      h.node(viaProxy(direct, proxy)).startWorker(WorkerConfig.of(List.of(namespace)));
      proxy.arm();
      UUID task = h.create(namespace, template, "{}");
      assertThat(proxy.dropped().await(30, TimeUnit.SECONDS))
          .as("the reply of the first statement with '%s' was dropped", marker)
          .isTrue();
      assertThat(h.queries().awaitFinal(task, h.waker(), Duration.ofSeconds(30)))
          .as("the task finished long before the 5-minute visibility timeout")
          .isPresent();
      return h.runToEnd(task);
    }
  }

  /** The worker's URL through {@code proxy}, with every statement's text on the wire. */
  private static String viaProxy(DatabaseUrl direct, CommitReplyDropper proxy) {
    return "postgresql://"
        + direct.user().orElse("postgres")
        + "@127.0.0.1:"
        + proxy.port()
        + "/"
        + direct.database()
        + "?prepareThreshold=0";
  }
}
