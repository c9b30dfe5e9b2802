package io.tasker.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tasker.TaskerException;
import io.tasker.state.TaskState;
import io.tasker.testing.EngineHarness;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
  private static final String SLOW =
      """
      name: slow
      namespace_name: dlq
      version: 1.0.0
      lifecycle: {max_steps_in_process_minutes: 5}
      steps:
        - name: wait
          handler: {callable: t.wait}
      """;

  @Test
  void aTaskStuckPastItsLifecycleLimitGoesToTheDlqAndAnOperatorResolvesIt() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (EngineHarness h = new EngineHarness("dlq")) {
      h.handler("t.wait", EngineHarness.holdUntil(started, release))
          .register(SLOW)
          .start(List.of("dlq"));
      UUID task = h.create("dlq", "slow", "{}");
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
      DeadLetters dlq = new DeadLetters(h.engine(), DeadLetters.Limits.defaults());

      assertThat(dlq.sweep(10)).as("not stale yet").isZero();
      // the task has sat in steps_in_process for 6 minutes: past its 5-minute limit
      h.backdateTask(task, "6 minutes");
      assertThat(dlq.sweep(10)).isEqualTo(1);
      assertThat(dlq.sweep(10)).as("moved once").isZero();
      assertThat(new TaskQueries(h.db().dataSource()).state(task)).isEqualTo(TaskState.ERROR);

      var entries = dlq.list(Optional.of("pending"), 10, 0);
      assertThat(entries)
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.get("task_uuid").asText()).isEqualTo(task.toString());
                assertThat(e.get("original_state").asText()).isEqualTo("steps_in_process");
                assertThat(e.get("dlq_reason").asText()).isEqualTo("staleness_timeout");
              });
      UUID entry = UUID.fromString(entries.getFirst().get("dlq_entry_uuid").asText());
      var shown = dlq.show(entry);
      assertThat(shown.get("task_snapshot").get("state").asText()).isEqualTo("steps_in_process");
      assertThat(shown.get("task_snapshot").get("steps")).hasSize(1);

      assertThat(
              dlq.resolve(
                  entry, DeadLetters.Resolution.MANUALLY_RESOLVED, "restarted the upstream", "ops"))
          .isEqualTo(task);
      assertThatThrownBy(() -> dlq.resolve(entry, DeadLetters.Resolution.CANCELLED, "again", "ops"))
          .isInstanceOf(TaskerException.class)
          .hasMessageContaining("no open DLQ entry");
      assertThat(dlq.list(Optional.of("pending"), 10, 0)).isEmpty();
      assertThat(dlq.stats())
          .anySatisfy(
              s -> assertThat(s.get("resolution_status").asText()).isEqualTo("manually_resolved"));
      release.countDown();
    }
  }

  @Test
  void stalenessActionNoneLeavesTheTaskAlone() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (EngineHarness h = new EngineHarness("dlq_none")) {
      h.handler("t.wait", EngineHarness.holdUntil(new CountDownLatch(1), release))
          .register(
              SLOW.replace("name: slow", "name: patient")
                  .replace("{max_steps_in_process_minutes: 5}", "{staleness_action: none}"))
          .start(List.of("dlq"));
      UUID task = h.create("dlq", "patient", "{}");
      h.backdateTask(task, "1 day");
      assertThat(new DeadLetters(h.engine(), DeadLetters.Limits.defaults()).sweep(10)).isZero();
      release.countDown();
      assertThat(EngineHarness.state(h.runToEnd(task))).isEqualTo(TaskState.COMPLETE);
    }
  }
}
