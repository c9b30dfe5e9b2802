package io.tasker.queue;

import io.tasker.sql.SqlResources;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * {@link MessageQueue} over pgmq's storage layout ({@code pgmq.q_<queue>}, {@code pgmq.a_<queue>}),
 * which the pgmq extension and tasker's emulation share.
 *
 * <p>Queue lifecycle and metrics go through the pgmq functions. The hot path (send, read, delete,
 * archive, set_vt) runs the same statements those functions run, but as plain prepared statements
 * on the queue's table: the functions build their SQL with {@code EXECUTE format(...)}, which is
 * parsed and planned on every call and cost ~250 µs per operation here; a prepared statement is
 * planned once per connection. It also lets visibility timeouts have millisecond precision.
 *
 * <p>{@link #pooled} borrows a pooled connection per call (auto-commit); {@link #on} runs inside
 * the caller's connection and transaction.
 */
public final class PgMessageQueue implements MessageQueue {
  private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,47}");
  private static final ConcurrentMap<String, String> STATEMENTS = new ConcurrentHashMap<>();

  /** Lends a connection for one call and takes it back. */
  private interface ConnectionSource {
    Connection borrow() throws SQLException;

    void giveBack(Connection c) throws SQLException;
  }

  private interface SqlCall<T> {
    T apply(PreparedStatement ps) throws SQLException;
  }

  private final ConnectionSource connections;

  private PgMessageQueue(ConnectionSource connections) {
    this.connections = connections;
  }

  /** Each call runs in its own auto-committed transaction on a pooled connection. */
  public static PgMessageQueue pooled(DataSource ds) {
    return new PgMessageQueue(
        new ConnectionSource() {
          @Override
          public Connection borrow() throws SQLException {
            return ds.getConnection();
          }

          @Override
          public void giveBack(Connection c) throws SQLException {
            c.close();
          }
        });
  }

  /** Calls join the transaction of {@code connection}; the caller commits or rolls back. */
  public static PgMessageQueue on(Connection connection) {
    return new PgMessageQueue(
        new ConnectionSource() {
          @Override
          public Connection borrow() {
            return connection;
          }

          @Override
          public void giveBack(Connection c) {
            // owned by the caller
          }
        });
  }

  /** Rejects names pgmq would refuse, before they reach SQL (they are part of table names). */
  public static String checkName(String queue) {
    if (queue == null || !NAME.matcher(queue).matches()) {
      throw new QueueException(
          "invalid_queue_name",
          "invalid queue name '" + queue + "': use 1 to 47 characters of [a-z0-9_]",
          null);
    }
    return queue;
  }

  @Override
  public void create(String queue) {
    try {
      createOnce(queue);
    } catch (QueueException e) {
      // CREATE TABLE IF NOT EXISTS is not atomic: two sessions creating the same queue at once can
      // collide on the catalog (23505/42P07/42710). The other one won; the second try is a no-op.
      if (!(e.getCause() instanceof SQLException se)
          || !java.util.Set.of("23505", "42P07", "42710").contains(se.getSQLState())) {
        throw e;
      }
      createOnce(queue);
    }
  }

  private void createOnce(String queue) {
    // pgmq.create, then the wake-up trigger; both idempotent
    call(
        "create",
        queue,
        "queue/create",
        ps -> {
          ps.setString(1, queue);
          ps.execute();
          return null;
        });
    call(
        "create",
        queue,
        "queue/enable_notify",
        ps -> {
          ps.setString(1, queue);
          ps.execute();
          return null;
        });
  }

  @Override
  public long send(String queue, String json, Duration delay) {
    return call(
        "send",
        queue,
        "queue/send",
        ps -> {
          ps.setLong(1, millis(delay));
          ps.setString(2, json);
          return longs(ps).getFirst();
        });
  }

  @Override
  public List<Long> sendBatch(String queue, List<String> json, Duration delay) {
    if (json.isEmpty()) {
      return List.of();
    }
    return call(
        "send_batch",
        queue,
        "queue/send_batch",
        ps -> {
          ps.setLong(1, millis(delay));
          ps.setArray(2, ps.getConnection().createArrayOf("jsonb", json.toArray()));
          return longs(ps);
        });
  }

  @Override
  public List<QueueMessage> read(String queue, Duration visibilityTimeout, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, got " + max);
    }
    return call(
        "read",
        queue,
        "queue/read",
        ps -> {
          ps.setInt(1, max);
          ps.setLong(2, millis(visibilityTimeout));
          return messages(ps);
        });
  }

  @Override
  public boolean delete(String queue, long id) {
    return call(
        "delete",
        queue,
        "queue/delete",
        ps -> {
          ps.setLong(1, id);
          return !longs(ps).isEmpty();
        });
  }

  @Override
  public List<Long> delete(String queue, List<Long> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return call(
        "delete",
        queue,
        "queue/delete_batch",
        ps -> {
          ps.setArray(1, ps.getConnection().createArrayOf("bigint", ids.toArray()));
          return longs(ps);
        });
  }

  @Override
  public boolean archive(String queue, long id) {
    return call(
        "archive",
        queue,
        "queue/archive",
        ps -> {
          ps.setLong(1, id);
          return !longs(ps).isEmpty();
        });
  }

  @Override
  public Optional<QueueMessage> setVisibilityTimeout(
      String queue, long id, Duration visibilityTimeout) {
    return call(
        "set_vt",
        queue,
        "queue/set_vt",
        ps -> {
          ps.setLong(1, millis(visibilityTimeout));
          ps.setLong(2, id);
          return messages(ps).stream().findFirst();
        });
  }

  @Override
  public QueueMetrics metrics(String queue) {
    return call(
        "metrics",
        queue,
        "queue/metrics",
        ps -> {
          ps.setString(1, queue);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new QueueMetrics(
                rs.getString(1),
                rs.getLong(2),
                optionalInt(rs, 3),
                optionalInt(rs, 4),
                rs.getLong(5));
          }
        });
  }

  @Override
  public Optional<Duration> nextVisibleIn(String queue) {
    return call(
        "next_visible",
        queue,
        "queue/next_visible",
        ps -> {
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            double secs = rs.getDouble(1);
            return rs.wasNull()
                ? Optional.empty()
                : Optional.of(Duration.ofNanos((long) (Math.max(0, secs) * 1e9)));
          }
        });
  }

  @Override
  public long purge(String queue) {
    return call(
        "purge",
        queue,
        "queue/purge",
        ps -> {
          ps.setString(1, queue);
          return longs(ps).getFirst();
        });
  }

  @Override
  public boolean drop(String queue) {
    return call(
        "drop",
        queue,
        "queue/drop",
        ps -> {
          ps.setString(1, queue);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
          }
        });
  }

  /** The statement of {@code sql/queries/<resource>.sql} with the queue's table names filled in. */
  private static String statement(String resource, String queue) {
    return STATEMENTS.computeIfAbsent(
        resource + '\0' + queue, k -> SqlResources.get(resource).formatted(queue));
  }

  private <T> T call(String op, String queue, String resource, SqlCall<T> body) {
    String sql = statement(resource, checkName(queue));
    Connection c = null;
    try {
      c = connections.borrow();
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        return body.apply(ps);
      }
    } catch (SQLException e) {
      // 42P01 undefined_table: the queue was never created (or was dropped)
      boolean missing = "42P01".equals(e.getSQLState());
      throw new QueueException(
          missing ? "queue_not_found" : "queue_error",
          op
              + " on queue '"
              + queue
              + "' failed: "
              + (missing ? "queue '" + queue + "' does not exist" : e.getMessage()),
          e);
    } finally {
      if (c != null) {
        try {
          connections.giveBack(c);
        } catch (SQLException ignored) {
          // the pool discards a broken connection itself
        }
      }
    }
  }

  private static List<QueueMessage> messages(PreparedStatement ps) throws SQLException {
    List<QueueMessage> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new QueueMessage(
                rs.getLong(1),
                rs.getInt(2),
                rs.getTimestamp(3).toInstant(),
                rs.getTimestamp(4).toInstant(),
                rs.getString(5)));
      }
    }
    return out;
  }

  private static List<Long> longs(PreparedStatement ps) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }

  private static OptionalInt optionalInt(ResultSet rs, int column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(v);
  }

  private static long millis(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative: " + d);
    }
    return d.toMillis();
  }
}
