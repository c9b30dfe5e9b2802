package io.tasker.orchestration;

import static io.tasker.testing.EngineHarness.state;
import static io.tasker.testing.EngineHarness.step;
import static org.assertj.core.api.Assertions.assertThat;

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
      DatabaseUrl direct = h.db().database().url();
      try (CommitReplyDropper proxy =
          new CommitReplyDropper(direct.host(), direct.port(), "claim_steps")) {
        EngineHarness.Node worker = h.node(viaProxy(direct, proxy));
        worker.startWorker(WorkerConfig.of(List.of("ambiguous")));
        proxy.arm(); // the worker's next claim transaction

        UUID task = h.create("ambiguous", "one_step", "{}");
        assertThat(proxy.dropped().await(30, TimeUnit.SECONDS))
            .as("the claim's commit reply was dropped")
            .isTrue();

        var doc = h.queries().awaitFinal(task, h.waker(), Duration.ofSeconds(30));
        assertThat(doc)
            .as("the task finished long before the 5-minute visibility timeout")
            .isPresent();
        var end = h.runToEnd(task);
        assertThat(state(end)).isEqualTo(TaskState.COMPLETE);
        assertThat(step(end, "work").get("attempts").asInt()).as("no attempt wasted").isEqualTo(1);
        assertThat(calls).as("the handler ran once").hasValue(1);
      }
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
      DatabaseUrl direct = h.db().database().url();
      try (CommitReplyDropper proxy =
          new CommitReplyDropper(direct.host(), direct.port(), "report_success", true)) {
        EngineHarness.Node worker = h.node(viaProxy(direct, proxy));
        worker.startWorker(WorkerConfig.of(List.of("ambiguous_report")));
        proxy.arm(); // the worker's next report: the first step's, which claims the second

        UUID task = h.create("ambiguous_report", "two_steps", "{}");
        assertThat(proxy.dropped().await(30, TimeUnit.SECONDS))
            .as("the report's reply was dropped")
            .isTrue();

        var doc = h.queries().awaitFinal(task, h.waker(), Duration.ofSeconds(30));
        assertThat(doc)
            .as("the task finished long before the 5-minute visibility timeout")
            .isPresent();
        var end = h.runToEnd(task);
        assertThat(state(end)).isEqualTo(TaskState.COMPLETE);
        assertThat(step(end, "second").get("attempts").asInt())
            .as("no attempt wasted")
            .isEqualTo(1);
        assertThat(first).as("the first handler ran once").hasValue(1);
        assertThat(second).as("the second handler ran once").hasValue(1);
      }
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
