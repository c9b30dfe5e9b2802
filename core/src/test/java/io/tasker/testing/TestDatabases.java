package io.tasker.testing;

import io.tasker.db.Database;
import io.tasker.db.DatabaseSettings;
import io.tasker.db.DatabaseUrl;
import io.tasker.db.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
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
          Runtime.getRuntime().addShutdownHook(new Thread(pg::stop, "stop-test-postgres"));
        }
      }
      createTemplate();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      exec("drop database if exists " + TEMPLATE + " with (force)");
                    } catch (RuntimeException ignored) {
                      // the server may already be stopping
                    }
                  },
                  "drop-test-template"));
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

  static void exec(String sql) {
    DatabaseUrl server = server();
    Properties props = new Properties();
    server.user().ifPresent(u -> props.setProperty("user", u));
    server.password().ifPresent(p -> props.setProperty("password", p));
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(), props);
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
