package io.tasker.testing;

import io.tasker.db.Database;
import io.tasker.db.DatabaseSettings;
import io.tasker.db.DatabaseUrl;
import io.tasker.db.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One PostgreSQL server per test run and a fresh database per test class. The server is {@code
 * DATABASE_URL} when set (tests create and drop their own databases there), else an embedded server
 * under {@code target/tasker-test-home}, stopped when the run ends. Each database is a copy of a
 * template migrated once per run ({@code CREATE DATABASE ... TEMPLATE} takes milliseconds).
 */
public final class TestDatabases {
  /** Per test JVM, so concurrent test runs on one server never drop each other's template. */
  private static final String TEMPLATE = "tasker_test_template_" + ProcessHandle.current().pid();

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static volatile DatabaseUrl server;
  private static LocalPostgres stopAtExit;

  private TestDatabases() {}

  /** The admin URL of the test server (database {@code postgres}). */
  public static synchronized DatabaseUrl server() {
    if (server == null) {
      String env = System.getenv("DATABASE_URL");
      if (env != null && !env.isBlank()) {
        server = DatabaseUrl.parse(env).withDatabase("postgres");
      } else {
        LocalPostgres pg = new LocalPostgres(testHome());
        boolean startedHere = !pg.status().running();
        server = pg.ensureRunning().withDatabase("postgres");
        if (startedHere) {
          stopAtExit = pg;
        }
      }
      dropLeftoversOfDeadRuns();
      createTemplate();
      Runtime.getRuntime()
          .addShutdownHook(new Thread(TestDatabases::atExit, "test-databases-exit"));
    }
    return server;
  }

  public static Path testHome() {
    return Path.of(System.getProperty("tasker.test.home", "target/tasker-test-home"))
        .toAbsolutePath();
  }

  /** A migrated, empty database of its own; closing it drops the database. */
  public static TestDatabase create(String label) {
    String name = uniqueName(label);
    exec("create database " + name + " template " + TEMPLATE);
    return open(name);
  }

  /** A database with nothing in it, not even the tasker schema (for migration tests). */
  public static TestDatabase createEmpty(String label) {
    String name = uniqueName(label);
    exec("create database " + name);
    return open(name);
  }

  private static TestDatabase open(String name) {
    DatabaseUrl url = server().withDatabase(name);
    Database db =
        Database.open(
            new DatabaseSettings(java.util.Optional.of(url.libpqUrl()), testHome(), 8, false));
    return new TestDatabase(db, name);
  }

  static void drop(String name) {
    exec("drop database if exists " + name + " with (force)");
  }

  private static String uniqueName(String label) {
    String clean = label.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    if (clean.length() > 30) {
      clean = clean.substring(0, 30);
    }
    return "t_" + clean + "_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
  }

  private static void createTemplate() {
    exec("drop database if exists " + TEMPLATE + " with (force)");
    exec("create database " + TEMPLATE);
    DatabaseUrl url = server.withDatabase(TEMPLATE);
    try (Database db =
        Database.open(
            new DatabaseSettings(java.util.Optional.of(url.libpqUrl()), testHome(), 2, true))) {
      // migrated by open(); closing releases every connection so the template can be copied
      assert db.url() != null;
    }
  }

  /**
   * Drops this run's template, then stops the embedded server if this run started it and no other
   * test run (a second mvn, an IDE) is connected to it.
   */
  private static void atExit() {
    try {
      exec("drop database if exists " + TEMPLATE + " with (force)");
      if (stopAtExit != null && otherClients() == 0) {
        stopAtExit.stop();
      }
    } catch (RuntimeException ignored) {
      // the server is already gone
    }
  }

  /** Databases named after a test JVM that no longer runs (killed runs leave them behind). */
  private static void dropLeftoversOfDeadRuns() {
    java.util.List<String> stale = new java.util.ArrayList<>();
    try (Connection c = Database.connect(server);
        Statement st = c.createStatement();
        var rs =
            st.executeQuery(
                "select datname from pg_database where datname ~ '^(tasker_test_template_[0-9]+|t_.*_[0-9]+_[0-9]+)$'")) {
      while (rs.next()) {
        String name = rs.getString(1);
        String[] parts = name.split("_");
        String pid =
            name.startsWith("tasker_test_template_")
                ? parts[parts.length - 1]
                : parts[parts.length - 2];
        if (ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        stale.add(name);
      }
    } catch (SQLException | NumberFormatException e) {
      return; // best effort
    }
    stale.forEach(TestDatabases::drop);
  }

  private static long otherClients() {
    try (Connection c = Database.connect(server);
        Statement st = c.createStatement();
        var rs =
            st.executeQuery(
                "select count(*) from pg_stat_activity"
                    + " where backend_type = 'client backend' and pid <> pg_backend_pid()")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      return 0;
    }
  }

  static void exec(String sql) {
    try (Connection c = Database.connect(server());
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
