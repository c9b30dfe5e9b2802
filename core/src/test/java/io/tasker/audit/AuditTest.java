package io.tasker.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tasker.testing.EngineHarness;
import io.tasker.worker.StepResult;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The audit finds nothing on a healthy database and each kind of damage on a damaged one. */
class AuditTest {
  private static final String CHAIN =
      """
      name: audited_chain
      namespace_name: audit_ns
      version: 1.0.0
      steps:
        - name: a
          handler: {callable: t.step}
        - name: b
          dependencies: [a]
          handler: {callable: t.step}
      """;

  @Test
  void aHealthyRunIsCleanAndEachDamageIsCounted() throws Exception {
    try (EngineHarness h = new EngineHarness("audit_checks")) {
      h.handler("t.step", ctx -> StepResult.success(Map.of("step", ctx.stepName())))
          .register(CHAIN)
          .start(List.of("audit_ns"));
      UUID task = h.create("audit_ns", "audited_chain", "{}");
      h.runToEnd(task);
      h.stopWorker();
      h.create("audit_ns", "audited_chain", "{\"open\": true}"); // no worker: stays open

      Audit.Report healthy = Audit.run(h.db().dataSource());
      assertThat(healthy.clean()).as(healthy.toString()).isTrue();
      assertThat(healthy.tasks()).isEqualTo(2);
      assertThat(healthy.steps()).isEqualTo(4);

      String b =
          h.db()
              .queryString(
                  "select workflow_step_uuid from tasker.workflow_steps where task_uuid = '"
                      + task
                      + "' and template_step_name = 'b'");
      // damage that the guards would refuse, written around them (replica role skips triggers)
      h.db()
          .execute(
              "set session_replication_role = replica;"
                  + " insert into tasker.workflow_step_transitions"
                  + " (workflow_step_uuid, from_state, to_state, sort_key)"
                  + " values ('"
                  + b
                  + "', 'complete', 'complete', 100);"
                  + " update tasker.workflow_steps set results = null where workflow_step_uuid = '"
                  + b
                  + "'; set session_replication_role = origin");

      Audit.Report damaged = Audit.run(h.db().dataSource());
      assertThat(damaged.clean()).isFalse();
      assertThat(damaged.count(Audit.Check.STEPS_COMPLETED_TWICE)).isEqualTo(1);
      assertThat(damaged.count(Audit.Check.RESULTS_LOST)).isEqualTo(1);
      assertThat(damaged.count(Audit.Check.STEP_TRANSITIONS_MALFORMED)).isEqualTo(1);
      assertThat(damaged.count(Audit.Check.TASK_TRANSITIONS_MALFORMED)).isZero();
      assertThat(damaged.count(Audit.Check.TASKS_NOT_FINAL)).isEqualTo(1);
    }
  }
}
