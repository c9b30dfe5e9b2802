package io.tasker.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tasker.testing.TestDatabase;
import io.tasker.testing.TestDatabases;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The database itself refuses illegal states, whatever code path writes to it. */
class SchemaConstraintsTest {
  private static TestDatabase db;
  private String task;
  private String step;

  @BeforeAll
  static void setUp() throws SQLException {
    db = TestDatabases.create("constraints");
    db.execute(
        """
        insert into tasker.task_namespaces (name) values ('ns');
        insert into tasker.named_tasks (task_namespace_uuid, name, version, configuration, content_hash)
          select task_namespace_uuid, 'wf', '1.0.0', '{}', 'h' from tasker.task_namespaces;
        insert into tasker.named_steps (name) values ('s1');
        """);
  }

  @AfterAll
  static void tearDown() {
    db.close();
  }

  @BeforeEach
  void newTask() throws SQLException {
    task =
        db.queryString(
            "insert into tasker.tasks (named_task_uuid, identity_hash) select named_task_uuid, gen_random_uuid()::text"
                + " from tasker.named_tasks returning task_uuid");
    step =
        db.queryString(
            "insert into tasker.workflow_steps (task_uuid, named_step_uuid, template_step_name)"
                + " select '"
                + task
                + "', named_step_uuid, 's1' from tasker.named_steps returning workflow_step_uuid");
    db.execute(
        "insert into tasker.task_transitions (task_uuid, from_state, to_state) values ('"
            + task
            + "', null, 'pending')");
    db.execute(
        "insert into tasker.workflow_step_transitions (workflow_step_uuid, from_state, to_state) values ('"
            + step
            + "', null, 'pending')");
  }

  private void taskMove(String from, String to) throws SQLException {
    db.execute(
        "insert into tasker.task_transitions (task_uuid, from_state, to_state) values ('"
            + task
            + "', '"
            + from
            + "', '"
            + to
            + "')");
  }

  private void stepMove(String from, String to) throws SQLException {
    db.execute(
        "insert into tasker.workflow_step_transitions (workflow_step_uuid, from_state, to_state) values ('"
            + step
            + "', '"
            + from
            + "', '"
            + to
            + "')");
  }

  @Test
  void legalTransitionsMoveTheStateAndNumberTheAuditRows() throws SQLException {
    stepMove("pending", "enqueued");
    stepMove("enqueued", "in_progress");
    stepMove("in_progress", "enqueued_for_orchestration");
    stepMove("enqueued_for_orchestration", "complete");
    assertThat(
            db.queryString(
                "select current_state from tasker.workflow_steps where workflow_step_uuid = '"
                    + step
                    + "'"))
        .isEqualTo("complete");
    assertThat(
            db.queryString(
                "select completed_at is not null from tasker.workflow_steps where workflow_step_uuid = '"
                    + step
                    + "'"))
        .isEqualTo("t");
    assertThat(
            db.queryString(
                "select string_agg(to_state || ':' || sort_key, ',' order by sort_key)"
                    + " from tasker.workflow_step_transitions where workflow_step_uuid = '"
                    + step
                    + "'"))
        .isEqualTo("pending:0,enqueued:1,in_progress:2,enqueued_for_orchestration:3,complete:4");
  }

  @Test
  void illegalTransitionsAreRejected() {
    assertThatThrownBy(() -> stepMove("pending", "complete"))
        .hasMessageContaining("illegal step transition pending -> complete");
    assertThatThrownBy(() -> taskMove("pending", "complete"))
        .hasMessageContaining("illegal task transition pending -> complete");
  }

  @Test
  void terminalStatesAreFinal() throws SQLException {
    taskMove("pending", "cancelled");
    assertThat(
            db.queryString(
                "select completed_at is not null from tasker.tasks where task_uuid = '"
                    + task
                    + "'"))
        .isEqualTo("t");
    assertThatThrownBy(() -> taskMove("cancelled", "pending"))
        .hasMessageContaining("illegal task transition cancelled -> pending");
  }

  @Test
  void aTransitionFromAStaleStateIsRejected() throws SQLException {
    stepMove("pending", "enqueued");
    // a second worker that still believes the step is pending must lose
    assertThatThrownBy(() -> stepMove("pending", "enqueued"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("stale step transition pending -> enqueued")
        .hasMessageContaining("its state is enqueued")
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo("40001");
  }

  @Test
  void currentStateCannotBeUpdatedDirectly() {
    assertThatThrownBy(
            () ->
                db.execute(
                    "update tasker.tasks set current_state = 'complete' where task_uuid = '"
                        + task
                        + "'"))
        .hasMessageContaining("changes only by inserting a transition row");
    assertThatThrownBy(
            () ->
                db.execute(
                    "update tasker.workflow_steps set current_state = 'complete' where workflow_step_uuid = '"
                        + step
                        + "'"))
        .hasMessageContaining("changes only by inserting a transition row");
  }

  @Test
  void unknownStatesAndBadCountersAreRejected() {
    assertThatThrownBy(() -> taskMove("pending", "exploded"))
        .hasMessageContaining("illegal task transition pending -> exploded");
    assertThatThrownBy(
            () ->
                db.execute(
                    "update tasker.workflow_steps set attempts = -1 where workflow_step_uuid = '"
                        + step
                        + "'"))
        .hasMessageContaining("check constraint");
    assertThatThrownBy(
            () ->
                db.execute(
                    "update tasker.workflow_steps set max_attempts = 0 where workflow_step_uuid = '"
                        + step
                        + "'"))
        .hasMessageContaining("check constraint");
    assertThatThrownBy(
            () ->
                db.execute(
                    "update tasker.tasks set context = '[1]' where task_uuid = '" + task + "'"))
        .hasMessageContaining("check constraint");
  }

  @Test
  void duplicateIdentityHashesAreRejected() {
    assertThatThrownBy(
            () ->
                db.execute(
                    "insert into tasker.tasks (named_task_uuid, identity_hash) select named_task_uuid, identity_hash"
                        + " from tasker.tasks where task_uuid = '"
                        + task
                        + "'"))
        .hasMessageContaining("tasks_identity_hash_key");
  }

  @Test
  void aTaskHasAtMostOneOpenDlqEntry() throws SQLException {
    String insert =
        "insert into tasker.dlq_entries (task_uuid, original_state, dlq_reason, task_snapshot)"
            + " values ('"
            + task
            + "', 'pending', 'staleness_timeout', '{}')";
    db.execute(insert);
    assertThatThrownBy(() -> db.execute(insert)).hasMessageContaining("dlq_entries_open_task_key");
    db.execute(
        "update tasker.dlq_entries set resolution_status = 'manually_resolved', resolution_timestamp = now()"
            + " where task_uuid = '"
            + task
            + "'");
    db.execute(insert);
  }

  @Test
  void stepEdgesCannotPointAtThemselves() {
    assertThatThrownBy(
            () ->
                db.execute(
                    "insert into tasker.workflow_step_edges (from_step_uuid, to_step_uuid) values ('"
                        + step
                        + "', '"
                        + step
                        + "')"))
        .hasMessageContaining("check constraint");
  }
}
