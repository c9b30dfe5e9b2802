package io.tasker.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * An open, migrated database: the pool plus where it points. Every tasker process gets its database
 * through {@link #open}, which starts the shared embedded PostgreSQL when no {@code DATABASE_URL}
 * is set.
 */
public final class Database implements AutoCloseable {
  private final DatabaseUrl url;
  private final boolean embedded;
  private final HikariDataSource pool;

  private Database(DatabaseUrl url, boolean embedded, HikariDataSource pool) {
    this.url = url;
    this.embedded = embedded;
    this.pool = pool;
  }

  public static Database open(DatabaseSettings settings) {
    boolean embedded = settings.url().isEmpty();
    DatabaseUrl url =
        settings
            .url()
            .map(DatabaseUrl::parse)
            .orElseGet(() -> new LocalPostgres(settings.home()).ensureRunning());
    HikariDataSource pool = createPool(url, settings.poolSize(), embedded);
    Database db = new Database(url, embedded, pool);
    if (settings.migrate()) {
      try {
        Migrations.migrate(pool);
      } catch (RuntimeException e) {
        pool.close();
        throw e;
      }
    }
    return db;
  }

  public DataSource dataSource() {
    return pool;
  }

  public DatabaseUrl url() {
    return url;
  }

  public boolean embedded() {
    return embedded;
  }

  /** A connection outside the pool, for sessions that must stay open (LISTEN). */
  public Connection openDedicatedConnection() throws SQLException {
    return connect(url);
  }

  /** A plain connection (no pool) to {@code url}, with tasker's driver settings. */
  public static Connection connect(DatabaseUrl url) throws SQLException {
    return DriverManager.getConnection(url.jdbcUrl(), driverProperties(url));
  }

  @Override
  public void close() {
    pool.close();
  }

  private static HikariDataSource createPool(DatabaseUrl url, int size, boolean embedded) {
    HikariConfig cfg = new HikariConfig();
    cfg.setPoolName("tasker");
    cfg.setJdbcUrl(url.jdbcUrl());
    cfg.setDataSourceProperties(driverProperties(url));
    cfg.setMaximumPoolSize(size);
    cfg.setMinimumIdle(Math.min(2, size));
    cfg.setConnectionTimeout(10_000);
    // fail at once with the real cause instead of a pool that never fills
    cfg.setInitializationFailTimeout(1);
    try {
      return new HikariDataSource(cfg);
    } catch (HikariPool.PoolInitializationException e) {
      throw unreachable(url, embedded, e);
    }
  }

  static Properties driverProperties(DatabaseUrl url) {
    Properties p = new Properties();
    url.user().ifPresent(u -> p.setProperty("user", u));
    url.password().ifPresent(pw -> p.setProperty("password", pw));
    p.setProperty("ApplicationName", "tasker");
    p.setProperty("connectTimeout", "10");
    p.setProperty("tcpKeepAlive", "true");
    p.setProperty("reWriteBatchedInserts", "true");
    // Prepare on the server from the first use and plan once: with the driver's default (prepare at
    // the 5th use on a connection) and PostgreSQL's (5 custom plans before a generic one), a pool
    // of connections kept parsing and planning the hot statements; measured on the step path:
    // linear P50 40.7 -> 32.9 ms, creation 7.8 -> 5.6 ms (docs/benchmarks.md). URL parameters
    // still override both.
    p.setProperty("prepareThreshold", "1");
    p.setProperty("options", "-c plan_cache_mode=force_generic_plan");
    return p;
  }

  static DatabaseException unreachable(DatabaseUrl url, boolean embedded, Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String reason = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    int sentenceEnd = reason.indexOf(". ");
    if (sentenceEnd > 0) {
      reason = reason.substring(0, sentenceEnd + 1);
    }
    String source = embedded ? "the embedded server" : "DATABASE_URL";
    return new DatabaseException(
        "database_unavailable",
        "cannot connect to PostgreSQL at " + url.describe() + " (" + source + "): " + reason,
        e);
  }
}
