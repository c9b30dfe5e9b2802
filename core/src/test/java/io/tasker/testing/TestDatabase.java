package io.tasker.testing;

import io.tasker.db.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** A per-test-class database; {@link #close} drops it. */
public final class TestDatabase implements AutoCloseable {
  private final Database db;
  private final String name;

  TestDatabase(Database db, String name) {
    this.db = db;
    this.name = name;
  }

  public Database database() {
    return db;
  }

  public DataSource dataSource() {
    return db.dataSource();
  }

  public String name() {
    return name;
  }

  /** Runs SQL and returns the first column of the first row as text (null when no row). */
  public String queryString(String sql) {
    try (Connection c = db.dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  public long queryLong(String sql) {
    return Long.parseLong(queryString(sql));
  }

  public void execute(String sql) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  @Override
  public void close() {
    db.close();
    TestDatabases.drop(name);
  }
}
