package io.tasker.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the plain-SQL migrations under {@code sql/}. The queue layer is the real pgmq extension
 * when it is installed in the database ({@code CREATE EXTENSION pgmq} before tasker's first start)
 * and tasker's own pgmq-compatible functions otherwise; both are migration V2, so the history table
 * records which one a database got.
 */
public final class Migrations {
  static final String BASE = "classpath:io/tasker/sql/";

  private Migrations() {}

  /** Outcome of a run; {@code applied == 0} on an up-to-date database. */
  public record Result(int applied, String schemaVersion, boolean pgmqExtension) {}

  public static Result migrate(DataSource ds) {
    boolean extension = pgmqExtensionInstalled(ds);
    Flyway flyway =
        Flyway.configure()
            .dataSource(ds)
            .schemas("tasker")
            .locations(
                BASE + "migrations", BASE + (extension ? "pgmq-extension" : "pgmq-emulation"))
            .validateMigrationNaming(true)
            .loggers("slf4j")
            .load();
    try {
      MigrateResult r = flyway.migrate();
      String version =
          flyway.info().current() == null
              ? "none"
              : flyway.info().current().getVersion().getVersion();
      return new Result(r.migrationsExecuted, version, extension);
    } catch (FlywayException e) {
      String hint =
          e.getMessage() != null && e.getMessage().contains("checksum mismatch")
              ? " (this database was migrated by a different build of the same schema version;"
                  + " for the embedded database of a development build, stop it and remove"
                  + " $TASKER_HOME/pg/data, or point DATABASE_URL at a fresh database)"
              : "";
      throw new DatabaseException(
          "migration_failed", "database migration failed: " + firstLine(e.getMessage()) + hint, e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  static boolean pgmqExtensionInstalled(DataSource ds) {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("select count(*) from pg_extension where extname = 'pgmq'")) {
      return rs.next() && rs.getInt(1) > 0;
    } catch (SQLException e) {
      throw new DatabaseException(
          "database_unavailable", "cannot inspect the database: " + e.getMessage(), e);
    }
  }
}
