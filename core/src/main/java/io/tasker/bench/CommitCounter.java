package io.tasker.bench;

import io.tasker.db.Database;
import io.tasker.db.DatabaseException;
import io.tasker.db.DatabaseUrl;
import io.tasker.sql.SqlResources;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Reads a database's committed-transaction count ({@code pg_stat_database.xact_commit}: every
 * client's, read-only transactions included) the same way for every engine of a comparison, so
 * their commits per step compare. Backends publish their counters at most once a second, so each
 * reading first waits that long; a reading taken right after a run would miss its last second.
 */
final class CommitCounter {
  private static final long PUBLISH_WAIT_MS = 1100;

  private final DatabaseUrl database;

  CommitCounter(DatabaseUrl database) {
    this.database = database;
  }

  long read() {
    try {
      Thread.sleep(PUBLISH_WAIT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading commit counts", e);
    }
    try (Connection c = Database.connect(database);
        Statement st = c.createStatement()) {
      st.execute(SqlResources.get("bench/flush_statistics"));
      try (var rs = st.executeQuery(SqlResources.get("bench/committed_transactions"))) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new DatabaseException(
          "database_error", "cannot read pg_stat_database: " + e.getMessage(), e);
    }
  }
}
