package io.tasker.queue;

import io.tasker.sql.SqlResources;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * {@link MessageQueue} over the {@code pgmq} SQL functions (the extension or tasker's emulation).
 * {@link #pooled} borrows a pooled connection per call (auto-commit); {@link #on} runs inside the
 * caller's connection and transaction.
 */
public final class PgMessageQueue implements MessageQueue {
  private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,47}");

  /** Lends a connection for one call and takes it back. */
  private interface ConnectionSource {
    Connection borrow() throws SQLException;

    void giveBack(Connection c) throws SQLException;
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

  /** Rejects names pgmq would refuse, before they reach SQL. */
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
    String q = checkName(queue);
    call(
        "create",
        q,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(SqlResources.get("queue/create"))) {
            ps.setString(1, q);
            ps.execute();
          }
          try (PreparedStatement ps = c.prepareStatement(SqlResources.get("queue/enable_notify"))) {
            ps.setString(1, q);
            ps.execute();
          }
          return null;
        });
  }

  @Override
  public long send(String queue, String json, Duration delay) {
    String q = checkName(queue);
    return call(
        "send",
        q,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(SqlResources.get("queue/send"))) {
            ps.setString(1, q);
            ps.setString(2, json);
            ps.setInt(3, seconds(delay));
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  @Override
  public List<Long> sendBatch(String queue, List<String> json, Duration delay) {
    String q = checkName(queue);
    if (json.isEmpty()) {
      return List.of();
    }
    return call(
        "send_batch",
        q,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(SqlResources.get("queue/send_batch"))) {
            Array arr = c.createArrayOf("jsonb", json.toArray());
            ps.setString(1, q);
            ps.setArray(2, arr);
            ps.setInt(3, seconds(delay));
            return longs(ps);
          }
        });
  }

  @Override
  public List<QueueMessage> read(String queue, Duration visibilityTimeout, int max) {
    String q = checkName(queue);
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, got " + max);
    }
    return call(
        "read",
        q,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(SqlResources.get("queue/read"))) {
            ps.setString(1, q);
            ps.setInt(2, seconds(visibilityTimeout));
            ps.setInt(3, max);
            return messages(ps);
          }
        });
  }

  @Override
  public boolean delete(String queue, long id) {
    return bool("delete", "queue/delete", checkName(queue), id);
  }

  @Override
  public List<Long> delete(String queue, List<Long> ids) {
    String q = checkName(queue);
    if (ids.isEmpty()) {
      return List.of();
    }
    return call(
        "delete",
        q,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(SqlResources.get("queue/delete_batch"))) {
            ps.setString(1, q);
            ps.setArray(2, c.createArrayOf("bigint", ids.toArray()));
            return longs(ps);
          }
        });
  }

  @Override
  public boolean archive(String queue, long id) {
    return bool("archive", "queue/archive", checkName(queue), id);
  }

  @Override
  public Optional<QueueMessage> setVisibilityTimeout(
      String queue, long id, Duration visibilityTimeout) {
    String q = checkName(queue);
    return call(
        "set_vt",
        q,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(SqlResources.get("queue/set_vt"))) {
            ps.setString(1, q);
            ps.setLong(2, id);
            ps.setInt(3, seconds(visibilityTimeout));
            return messages(ps).stream().findFirst();
          }
        });
  }

  @Override
  public QueueMetrics metrics(String queue) {
    String q = checkName(queue);
    return call(
        "metrics",
        q,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(SqlResources.get("queue/metrics"))) {
            ps.setString(1, q);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return new QueueMetrics(
                  rs.getString(1),
                  rs.getLong(2),
                  optionalInt(rs, 3),
                  optionalInt(rs, 4),
                  rs.getLong(5));
            }
          }
        });
  }

  @Override
  public Optional<Duration> nextVisibleIn(String queue) {
    String q = checkName(queue);
    String sql = SqlResources.get("queue/next_visible").formatted("q_" + q);
    return call(
        "next_visible",
        q,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql);
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            double secs = rs.getDouble(1);
            if (rs.wasNull()) {
              return Optional.empty();
            }
            return Optional.of(Duration.ofNanos((long) (Math.max(0, secs) * 1e9)));
          }
        });
  }

  @Override
  public long purge(String queue) {
    String q = checkName(queue);
    return call(
        "purge",
        q,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(SqlResources.get("queue/purge"))) {
            ps.setString(1, q);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  @Override
  public boolean drop(String queue) {
    String q = checkName(queue);
    return call(
        "drop",
        q,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(SqlResources.get("queue/drop"))) {
            ps.setString(1, q);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() && rs.getBoolean(1);
            }
          }
        });
  }

  private boolean bool(String op, String sql, String queue, long id) {
    return call(
        op,
        queue,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(SqlResources.get(sql))) {
            ps.setString(1, queue);
            ps.setLong(2, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() && rs.getBoolean(1);
            }
          }
        });
  }

  private interface SqlCall<T> {
    T apply(Connection c) throws SQLException;
  }

  private <T> T call(String op, String queue, SqlCall<T> body) {
    Connection c = null;
    try {
      c = connections.borrow();
      return body.apply(c);
    } catch (SQLException e) {
      // 42P01: undefined_table, what pgmq raises for a queue that was never created
      String code = "42P01".equals(e.getSQLState()) ? "queue_not_found" : "queue_error";
      String what =
          code.equals("queue_not_found") ? "queue '" + queue + "' does not exist" : e.getMessage();
      throw new QueueException(code, op + " on queue '" + queue + "' failed: " + what, e);
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

  /** pgmq counts in whole seconds; round up so a timeout is never shorter than asked. */
  private static int seconds(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative: " + d);
    }
    long ms = d.toMillis();
    return (int) Math.min(Integer.MAX_VALUE, (ms + 999) / 1000);
  }
}
