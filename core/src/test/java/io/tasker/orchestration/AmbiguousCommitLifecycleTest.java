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
          new CommitReplyDropper(direct.host(), direct.port(), "workflow_step_transitions")) {
        String viaProxy =
            "postgresql://"
                + direct.user().orElse("postgres")
                + "@127.0.0.1:"
                + proxy.port()
                + "/"
                + direct.database()
                + "?prepareThreshold=0";
        EngineHarness.Node worker = h.node(viaProxy);
        worker.startWorker(WorkerConfig.of(List.of("ambiguous")));
        proxy.arm(); // the worker's next transaction that writes a transition: its claim

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
}
