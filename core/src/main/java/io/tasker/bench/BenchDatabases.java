package io.tasker.bench;

import io.tasker.db.Database;
import io.tasker.db.DatabaseException;
import io.tasker.db.DatabaseUrl;
import io.tasker.sql.SqlResources;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * Fresh, empty databases on one PostgreSQL server, one per engine of a comparison, so each engine's
 * commit count is its own. Names carry this process id: two comparisons on one shared server do not
 * drop each other's databases.
 */
public final class BenchDatabases {
  private static final Pattern SAFE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private final DatabaseUrl server;

  /** {@code server}: any database on the server; new databases are its siblings. */
  public BenchDatabases(DatabaseUrl server) {
    this.server = server;
  }

  /** Drops {@code bench_compare_<label>_<pid>} if present and creates it empty. */
  public DatabaseUrl fresh(String label) {
    String name = name(label);
    // identifiers cannot be bound parameters; SAFE_NAME keeps the statement to one identifier
    execute("drop database if exists " + name + " with (force)");
    execute("create database " + name);
    return server.withDatabase(name);
  }

  /** Drops the database {@link #fresh} made for {@code label}. */
  public void drop(String label) {
    execute("drop database if exists " + name(label) + " with (force)");
  }

  /** The server's version, e.g. {@code 17.6}. */
  public String serverVersion() {
    try (Connection c = Database.connect(server);
        Statement st = c.createStatement();
        var rs = st.executeQuery(SqlResources.get("bench/server_version"))) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw failure("cannot read the server version", e);
    }
  }

  static String name(String label) {
    String name = "bench_compare_" + label + "_" + ProcessHandle.current().pid();
    if (!SAFE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a safe database name: " + name);
    }
    return name;
  }

  private void execute(String sql) {
    try (Connection c = Database.connect(server);
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw failure(
          "cannot run '" + sql + "' on " + server.describe() + " (the role needs CREATEDB)", e);
    }
  }

  private static DatabaseException failure(String what, SQLException e) {
    return new DatabaseException("database_error", what + ": " + e.getMessage(), e);
  }
}
