package io.tasker.sql;

import io.tasker.db.DatabaseException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * One transaction with the engine's conventions: commit on success, roll back on any exception,
 * retry the whole body on serialization failures and deadlocks (the body must be re-runnable: it
 * re-reads what it needs), and run after-commit actions (in-process wake-ups) only once committed.
 */
public final class Tx {
  private static final int ATTEMPTS = 5;

  /** The body of a transaction. */
  @FunctionalInterface
  public interface Body<T> {
    T run(Tx tx) throws SQLException;
  }

  private final Connection connection;
  private final Set<String> sentQueues = new LinkedHashSet<>();

  private Tx(Connection connection) {
    this.connection = connection;
  }

  public Connection connection() {
    return connection;
  }

  /**
   * Records that this transaction sent to {@code queue} (or finished a task: its signal key), so
   * waiters in this process wake at commit.
   */
  public void sentTo(String queue) {
    sentQueues.add(queue);
  }

  public static <T> T run(DataSource ds, Consumer<Set<String>> afterCommit, Body<T> body) {
    return execute(ds, afterCommit, body, false);
  }

  /**
   * Runs {@code body}, which issues exactly one statement, in autocommit mode: the statement is its
   * own transaction, so its commit travels with it (one round trip instead of two). Same retries
   * and after-commit actions as {@link #run}.
   */
  public static <T> T single(DataSource ds, Consumer<Set<String>> afterCommit, Body<T> body) {
    return execute(ds, afterCommit, body, true);
  }

  private static <T> T execute(
      DataSource ds, Consumer<Set<String>> afterCommit, Body<T> body, boolean autocommit) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(autocommit);
        Tx tx = new Tx(c);
        try {
          T result = body.run(tx);
          if (!autocommit) {
            c.commit();
          }
          if (!tx.sentQueues.isEmpty()) {
            afterCommit.accept(tx.sentQueues);
          }
          return result;
        } catch (SQLException | RuntimeException e) {
          if (!autocommit) {
            rollbackQuietly(c);
          }
          if (e instanceof SQLException se && retryable(se) && attempt < ATTEMPTS) {
            continue;
          }
          throw e;
        }
      } catch (SQLException e) {
        throw new DatabaseException("database_error", e.getMessage(), e);
      }
    }
  }

  /**
   * Whether {@code t} says the database could not be reached (connection refused or dropped, server
   * shutting down or restarting, no pooled connection in time), as opposed to a statement that
   * failed: the same work may succeed once the database is back.
   */
  public static boolean connectionLost(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.sql.SQLTransientConnectionException) {
        return true;
      }
      if (c instanceof SQLException se && se.getSQLState() != null) {
        String state = se.getSQLState();
        if (state.startsWith("08") || state.startsWith("57P")) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean retryable(SQLException e) {
    String state = e.getSQLState();
    return "40001".equals(state) || "40P01".equals(state);
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the pool will discard it
    }
  }
}
