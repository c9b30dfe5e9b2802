package io.tasker.audit;

import io.tasker.db.DatabaseException;
import io.tasker.sql.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The engine's invariants checked over a whole database, in SQL (docs/operations.md, "Audit"): no
 * step completed twice, no completed step without its result, no complete task with an open step,
 * audit trails chained without gaps. Used by {@code tasker audit}, the soak test and the fault
 * tests; every check is one query under {@code sql/queries/audit/}.
 */
public final class Audit {
  /** One check: its query, what it counts, and whether a non-zero count breaks an invariant. */
  public enum Check {
    STEPS_COMPLETED_TWICE("steps_completed_twice", "steps completed more than once", true),
    RESULTS_LOST("results_lost", "completed steps without a stored result", true),
    COMPLETE_TASKS_WITH_OPEN_STEPS(
        "complete_tasks_with_open_steps", "complete tasks with a step still open", true),
    STEP_TRANSITIONS_MALFORMED(
        "step_transitions_malformed", "step audit rows that break the chain", true),
    TASK_TRANSITIONS_MALFORMED(
        "task_transitions_malformed", "task audit rows that break the chain", true),
    TASKS_NOT_FINAL("tasks_not_final", "tasks not in a final state yet", false),
    TASKS_NOT_COMPLETE("tasks_not_complete", "final tasks that did not complete", false);

    private final String query;
    private final String description;
    private final boolean invariant;

    Check(String query, String description, boolean invariant) {
      this.query = query;
      this.description = description;
      this.invariant = invariant;
    }

    public String key() {
      return query;
    }

    public String description() {
      return description;
    }

    /** True when any count above zero is a bug, whatever the workload. */
    public boolean invariant() {
      return invariant;
    }
  }

  /** A check's count. */
  public record Finding(Check check, long count) {
    public boolean violated() {
      return check.invariant() && count > 0;
    }
  }

  /** Everything the audit saw. */
  public record Report(long tasks, long steps, long transitions, List<Finding> findings) {
    public long count(Check c) {
      return findings.stream().filter(f -> f.check() == c).mapToLong(Finding::count).sum();
    }

    /** No invariant broken. */
    public boolean clean() {
      return findings.stream().noneMatch(Finding::violated);
    }
  }

  private Audit() {}

  public static Report run(DataSource ds) {
    try (Connection c = ds.getConnection()) {
      c.setReadOnly(true);
      // one snapshot for every check, so a running workload cannot make them disagree
      c.setAutoCommit(false);
      c.createStatement().execute("set transaction isolation level repeatable read");
      List<Finding> findings = new ArrayList<>();
      for (Check check : Check.values()) {
        findings.add(new Finding(check, count(c, check.query)));
      }
      long[] totals =
          Sql.queryOne(
                  c,
                  "audit/totals",
                  rs ->
                      new long[] {
                        rs.getLong("tasks"), rs.getLong("steps"), rs.getLong("transitions")
                      })
              .orElseThrow();
      c.commit();
      return new Report(totals[0], totals[1], totals[2], List.copyOf(findings));
    } catch (SQLException e) {
      throw new DatabaseException("database_error", "audit failed: " + e.getMessage(), e);
    }
  }

  private static long count(Connection c, String query) throws SQLException {
    return Sql.queryOne(c, "audit/" + query, rs -> rs.getLong(1)).orElse(0L);
  }
}
