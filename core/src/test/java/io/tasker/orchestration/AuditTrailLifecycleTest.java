package io.tasker.orchestration;

import static io.tasker.testing.EngineHarness.state;
import static io.tasker.testing.EngineHarness.stepUuid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.state.TaskState;
import io.tasker.testing.EngineHarness;
import io.tasker.testing.EngineHarness.Transition;
import io.tasker.testing.TestDatabase;
import io.tasker.worker.StepResult;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The audit trail (architecture.md, "State machines"): every state change of a step or a task is a
 * transition row, numbered 0..n without gaps, chained (each row starts where the previous ended),
 * and the most recent row (the highest sort_key) matches the current state.
 */
class AuditTrailLifecycleTest {
  private static final String DIAMOND = LifecycleTemplates.diamond("audited", "audit", "c");

  private static final List<String> CLEAN_RUN =
      List.of("pending", "enqueued", "in_progress", "complete");

  private static void assertWellFormed(String what, List<Transition> audit, String currentState) {
    assertThat(audit).as(what).isNotEmpty();
    for (int i = 0; i < audit.size(); i++) {
      Transition t = audit.get(i);
      assertThat(t.sortKey()).as("%s row %d sort_key", what, i).isEqualTo(i);
      if (i == 0) {
        assertThat(t.from()).as("%s first row from_state", what).isNull();
        assertThat(t.to()).as("%s first row to_state", what).isEqualTo("pending");
      } else {
        assertThat(t.from())
            .as("%s row %d starts where row %d ended", what, i, i - 1)
            .isEqualTo(audit.get(i - 1).to());
        assertThat(t.createdAt())
            .as("%s row %d time", what, i)
            .isAfterOrEqualTo(audit.get(i - 1).createdAt());
      }
    }
    assertThat(audit.getLast().to()).as("%s current state", what).isEqualTo(currentState);
  }

  private static void assertNone(TestDatabase db, String what, String countQuery) {
    assertThat(db.queryLong(countQuery)).as(what).isZero();
  }

  @Test
  void aTaskThatStaysInStepsInProcessRecordsNoTransitionButShowsProgress() throws Exception {
    AtomicLong progressSeenByD = new AtomicLong(-1);
    try (EngineHarness h = new EngineHarness("audit_trail_quiet")) {
      h.handler(
              "t.step",
              ctx -> {
                if (ctx.stepName().equals("d")) {
                  // b's report (after b was claimed) moved the task's progress clock
                  progressSeenByD.set(
                      h.db()
                          .queryLong(
                              "select count(*) from tasker.tasks t"
                                  + " join tasker.workflow_steps s using (task_uuid)"
                                  + " join tasker.workflow_step_transitions st"
                                  + " using (workflow_step_uuid)"
                                  + " where t.task_uuid = '"
                                  + ctx.taskUuid()
                                  + "' and s.template_step_name = 'b'"
                                  + " and st.to_state = 'in_progress'"
                                  + " and t.updated_at > st.created_at"));
                }
                return StepResult.success(Map.of("step", ctx.stepName()));
              })
          .register(LifecycleTemplates.chain("quiet_chain", "quiet"))
          .start(List.of("quiet"));
      UUID task = h.create("quiet", "quiet_chain", "{}");
      assertThat(state(h.runToEnd(task))).isEqualTo(TaskState.COMPLETE);

      // reports in the middle of the chain leave the task in steps_in_process: no rows for them,
      // only the net moves (creation, and the final evaluation)
      assertThat(h.taskTransitions(task))
          .extracting(Transition::to)
          .containsExactly(
              "pending",
              "initializing",
              "enqueuing_steps",
              "steps_in_process",
              "evaluating_results",
              "complete");
      // ...but each of them is progress for the staleness sweep (tasks.updated_at)
      assertThat(progressSeenByD).hasValue(1);
    }
  }

  @Test
  void everyStateChangeIsOneContiguousChainedTransitionRow() throws Exception {
    AtomicInteger cCalls = new AtomicInteger();
    try (EngineHarness h = new EngineHarness("audit_trail")) {
      h.handler(
              "t.step",
              ctx -> {
                if (ctx.stepName().equals("c") && cCalls.incrementAndGet() == 1) {
                  return StepResult.failure("once", "flaky", true);
                }
                return StepResult.success(Map.of("step", ctx.stepName()));
              })
          .register(DIAMOND)
          .start(List.of("audit"));
      UUID task = h.create("audit", "audited", "{}");
      var doc = h.runToEnd(task);
      assertThat(state(doc)).isEqualTo(TaskState.COMPLETE);

      for (JsonNode s : doc.get("steps")) {
        String name = s.get("name").asText();
        List<Transition> audit = h.stepTransitions(stepUuid(doc, name));
        assertWellFormed("step " + name, audit, s.get("state").asText());
        if (name.equals("c")) {
          assertThat(audit)
              .extracting(Transition::to)
              .containsExactlyElementsOf(EngineHarness.RETRIED_ONCE_THEN_COMPLETE);
        } else {
          assertThat(audit)
              .extracting(Transition::to)
              .as(name)
              .containsExactlyElementsOf(CLEAN_RUN);
        }
      }

      List<Transition> taskAudit = h.taskTransitions(task);
      assertWellFormed("task", taskAudit, "complete");
      assertThat(taskAudit.subList(0, 4))
          .extracting(Transition::to)
          .containsExactly("pending", "initializing", "enqueuing_steps", "steps_in_process");
      assertThat(taskAudit).extracting(Transition::to).filteredOn("complete"::equals).hasSize(1);

      // the same invariants over the whole database, in SQL
      var db = h.db();
      assertNone(
          db,
          "steps without audit rows",
          """
                  select count(*) from tasker.workflow_steps s
                   where not exists (select 1 from tasker.workflow_step_transitions t
                                      where t.workflow_step_uuid = s.workflow_step_uuid)
                  """);
      assertNone(
          db,
          "tasks without audit rows",
          """
                  select count(*) from tasker.tasks k
                   where not exists (select 1 from tasker.task_transitions t
                                      where t.task_uuid = k.task_uuid)
                  """);
      assertNone(
          db,
          "step transition sort_keys with gaps",
          """
                  select count(*) from (
                    select sort_key,
                           row_number() over (partition by workflow_step_uuid order by sort_key) - 1 as n
                      from tasker.workflow_step_transitions) x
                   where sort_key <> n
                  """);
      assertNone(
          db,
          "task transition sort_keys with gaps",
          """
                  select count(*) from (
                    select sort_key,
                           row_number() over (partition by task_uuid order by sort_key) - 1 as n
                      from tasker.task_transitions) x
                   where sort_key <> n
                  """);
      assertNone(
          db,
          "steps whose current_state is not their most recent transition",
          """
                  select count(*) from tasker.workflow_steps s
                    join tasker.workflow_step_transitions t
                      on t.workflow_step_uuid = s.workflow_step_uuid
                     and t.sort_key = (select max(x.sort_key) from tasker.workflow_step_transitions x
                                        where x.workflow_step_uuid = s.workflow_step_uuid)
                   where t.to_state <> s.current_state
                  """);
      assertNone(
          db,
          "tasks whose current_state is not their most recent transition",
          """
                  select count(*) from tasker.tasks k
                    join tasker.task_transitions t on t.task_uuid = k.task_uuid
                     and t.sort_key = (select max(x.sort_key) from tasker.task_transitions x
                                        where x.task_uuid = k.task_uuid)
                   where t.to_state <> k.current_state
                  """);
    }
  }

  @Test
  void operatorActionsAreAuditedLikeEveryOtherChange() throws Exception {
    try (EngineHarness h = new EngineHarness("audit_operator")) {
      h.handler(
              "t.step",
              ctx -> {
                if (ctx.stepName().equals("b")) {
                  return StepResult.failure("no", "broken", false);
                }
                return StepResult.success(Map.of("step", ctx.stepName()));
              })
          .register(DIAMOND)
          .start(List.of("audit"));
      UUID task = h.create("audit", "audited", "{}");
      var failed = h.runToEnd(task);
      assertThat(state(failed)).isEqualTo(TaskState.ERROR);
      UUID b = stepUuid(failed, "b");
      h.engine().operator().resolveManually(task, b, "accepted as is");
      var doc = h.runToEnd(task);
      assertThat(state(doc)).isEqualTo(TaskState.COMPLETE);

      List<Transition> bAudit = h.stepTransitions(b);
      assertWellFormed("step b", bAudit, "resolved_manually");
      assertThat(bAudit)
          .extracting(Transition::to)
          .containsExactly(
              "pending",
              "enqueued",
              "in_progress",
              "enqueued_as_error_for_orchestration",
              "error",
              "resolved_manually");
      List<Transition> taskAudit = h.taskTransitions(task);
      assertWellFormed("task", taskAudit, "complete");
      // the task left error only through the operator's re-evaluation
      int error = taskAudit.stream().map(Transition::to).toList().indexOf("error");
      assertThat(error).isPositive();
      assertThat(taskAudit.get(error + 1).to()).isEqualTo("evaluating_results");
      for (JsonNode s : doc.get("steps")) {
        String name = s.get("name").asText();
        assertWellFormed(
            "step " + name, h.stepTransitions(stepUuid(doc, name)), s.get("state").asText());
      }
    }
  }
}
