package io.tasker.cli;

import io.tasker.db.Database;
import io.tasker.db.DatabaseSettings;
import io.tasker.db.DatabaseUrl;
import io.tasker.db.LocalPostgres;
import io.tasker.db.Migrations;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tasker db start|stop|status|url|migrate}. */
@Command(
    name = "db",
    mixinStandardHelpOptions = true,
    description = {
      "Manage the database.",
      "Without DATABASE_URL every tasker process shares one embedded PostgreSQL with its data under"
          + " $TASKER_HOME/pg (default ~/.tasker/pg); it starts on first use and outlives the"
          + " process that started it."
    })
final class DbCommand {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }

  @Command(name = "start", description = "Start the embedded PostgreSQL (no-op when it runs).")
  int start() {
    DatabaseSettings settings = DatabaseSettings.fromEnvironment();
    LocalPostgres pg = new LocalPostgres(settings.home());
    LocalPostgres.Running running = pg.startIfNeeded();
    DatabaseUrl url = running.url();
    try (Database db = Database.open(settings.withUrl(url.libpqUrl()))) {
      out()
          .printf(
              "PostgreSQL %s at %s (data: %s)%n",
              running.startedNow() ? "started" : "already running",
              db.url().libpqUrl(),
              pg.dataDir());
    }
    settings
        .url()
        .ifPresent(
            u ->
                out()
                    .println(
                        "note: DATABASE_URL is set, so tasker uses that database, not this one"));
    return 0;
  }

  @Command(name = "stop", description = "Stop the embedded PostgreSQL (data is kept).")
  int stop() {
    LocalPostgres pg = new LocalPostgres(DatabaseSettings.fromEnvironment().home());
    out().println(pg.stop() ? "PostgreSQL stopped" : "PostgreSQL was not running");
    return 0;
  }

  @Command(name = "status", description = "Show whether the embedded PostgreSQL runs.")
  int status(
      @CommandLine.Option(names = "--json", description = "one JSON document") boolean json) {
    DatabaseSettings settings = DatabaseSettings.fromEnvironment();
    LocalPostgres.Status s = new LocalPostgres(settings.home()).status();
    if (json) {
      out()
          .printf(
              "{\"running\":%s,\"pid\":%s,\"port\":%s,\"data_dir\":\"%s\",\"database_url_set\":%s}%n",
              s.running(),
              s.pid().map(String::valueOf).orElse("null"),
              s.port().map(String::valueOf).orElse("null"),
              s.dataDir().toString().replace("\\", "\\\\").replace("\"", "\\\""),
              settings.url().isPresent());
    } else if (s.running()) {
      out()
          .printf(
              "running: pid %d, port %d, data %s%n",
              s.pid().orElseThrow(), s.port().orElseThrow(), s.dataDir());
    } else {
      out().printf("stopped (data %s)%n", s.dataDir());
    }
    return s.running() ? 0 : 3;
  }

  @Command(
      name = "url",
      description = {
        "Print the database URL (DATABASE_URL when set, else the embedded server's, started if",
        "needed) in the form psql accepts: psql \"$(tasker db url)\"."
      })
  int url() {
    DatabaseSettings settings = DatabaseSettings.fromEnvironment();
    DatabaseUrl url =
        settings
            .url()
            .map(DatabaseUrl::parse)
            .orElseGet(() -> new LocalPostgres(settings.home()).ensureRunning());
    out().println(url.libpqUrl());
    return 0;
  }

  @Command(name = "migrate", description = "Apply pending schema migrations.")
  int migrate() {
    DatabaseSettings settings = DatabaseSettings.fromEnvironment().withMigrate(false);
    try (Database db = Database.open(settings)) {
      Migrations.Result r = Migrations.migrate(db.dataSource());
      out()
          .printf(
              "%s: %d migration(s) applied, schema version %s, queues via %s%n",
              db.url().describe(),
              r.applied(),
              r.schemaVersion(),
              r.pgmqExtension() ? "the pgmq extension" : "tasker's pgmq functions");
    }
    return 0;
  }
}
