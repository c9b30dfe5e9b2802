package io.tasker.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.tasker.testing.TestDatabase;
import io.tasker.testing.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java transition tables and the database's rule tables are one definition, twice. */
class TransitionsMatchDatabaseTest {
  private static TestDatabase db;

  @BeforeAll
  static void setUp() {
    db = TestDatabases.create("transitions");
  }

  @AfterAll
  static void tearDown() {
    db.close();
  }

  private static Set<String> rows(String table) {
    return new TreeSet<>(
        List.of(
            db.queryString(
                    "select string_agg(from_state || '->' || to_state, ',') from tasker." + table)
                .split(",")));
  }

  private static <S extends Enum<S>> Set<String> java(Transitions<S> t, S[] values) {
    List<String> out = new ArrayList<>();
    for (S from : values) {
      for (S to : t.targets(from)) {
        out.add(
            from.name().toLowerCase(java.util.Locale.ROOT)
                + "->"
                + to.name().toLowerCase(java.util.Locale.ROOT));
      }
    }
    return new TreeSet<>(out);
  }

  @Test
  void taskRulesAgree() {
    assertThat(java(Transitions.TASK, TaskState.values())).isEqualTo(rows("task_state_rules"));
  }

  @Test
  void stepRulesAgree() {
    assertThat(java(Transitions.STEP, StepState.values())).isEqualTo(rows("step_state_rules"));
  }

  @Test
  void stateVocabulariesAgree() {
    for (TaskState s : TaskState.values()) {
      assertThat(
              db.queryString(
                  "select terminal from tasker.task_states where state = '" + s.wire() + "'"))
          .as(s.wire())
          .isEqualTo(s.terminal() ? "t" : "f");
    }
    for (StepState s : StepState.values()) {
      assertThat(
              db.queryString(
                  "select terminal from tasker.step_states where state = '" + s.wire() + "'"))
          .as(s.wire())
          .isEqualTo(s.terminal() ? "t" : "f");
    }
    assertThat(db.queryLong("select count(*) from tasker.task_states")).isEqualTo(12);
    assertThat(db.queryLong("select count(*) from tasker.step_states")).isEqualTo(10);
  }
}
