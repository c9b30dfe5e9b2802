package io.tasker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import io.tasker.db.DatabaseSettings;
import io.tasker.testing.TestDatabase;
import io.tasker.testing.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;

/** Runs the real CLI in this JVM against a test database, capturing what it prints. */
final class Cli {
  /** What one run printed, and its exit code. */
  record Run(int exit, String out, String err) {
    JsonNode json() {
      return Json.parse(out, "stdout of the CLI");
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private final DatabaseSettings settings;

  Cli(TestDatabase db) {
    this.settings =
        new DatabaseSettings(Optional.of(databaseUrl(db)), TestDatabases.testHome(), 4, false);
  }

  /** The libpq URL of a test database (for DATABASE_URL of a CLI subprocess). */
  static String databaseUrl(TestDatabase db) {
    return TestDatabases.server().withDatabase(db.name()).libpqUrl();
  }

  Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = TaskerCli.run(settings, new PrintWriter(out), new PrintWriter(err), args);
    return new Run(exit, out.toString(), err.toString());
  }
}
