package io.tasker.db;

import io.tasker.TaskerHome;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the database is and how to use it.
 *
 * @param url {@code DATABASE_URL} when given; empty means the machine-wide embedded PostgreSQL
 * @param home {@code $TASKER_HOME}, where the embedded server keeps its data
 * @param poolSize maximum pooled connections of this process
 * @param migrate apply pending migrations when the database is opened
 */
public record DatabaseSettings(Optional<String> url, Path home, int poolSize, boolean migrate) {
  public static final int DEFAULT_POOL_SIZE = 10;

  public DatabaseSettings {
    if (poolSize < 1) {
      throw new DatabaseException(
          "invalid_config", "database pool size must be at least 1 (got " + poolSize + ")");
    }
  }

  /** Reads {@code DATABASE_URL}, {@code TASKER_HOME} and {@code TASKER_DB_POOL_SIZE}. */
  public static DatabaseSettings fromEnvironment() {
    String url = System.getenv("DATABASE_URL");
    String pool = System.getenv("TASKER_DB_POOL_SIZE");
    int poolSize = DEFAULT_POOL_SIZE;
    if (pool != null && !pool.isBlank()) {
      try {
        poolSize = Integer.parseInt(pool.strip());
      } catch (NumberFormatException e) {
        throw new DatabaseException(
            "invalid_config", "TASKER_DB_POOL_SIZE must be an integer (got '" + pool + "')");
      }
    }
    return new DatabaseSettings(
        Optional.ofNullable(url).filter(s -> !s.isBlank()), TaskerHome.resolve(), poolSize, true);
  }

  public DatabaseSettings withUrl(String newUrl) {
    return new DatabaseSettings(Optional.of(newUrl), home, poolSize, migrate);
  }

  public DatabaseSettings withMigrate(boolean value) {
    return new DatabaseSettings(url, home, poolSize, value);
  }

  public DatabaseSettings withPoolSize(int value) {
    return new DatabaseSettings(url, home, value, migrate);
  }
}
