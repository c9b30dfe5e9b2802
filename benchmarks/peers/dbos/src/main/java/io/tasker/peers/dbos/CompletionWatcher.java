package io.tasker.peers.dbos;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Sees workflows reach a final state in DBOS's {@code workflow_status} table. DBOS 1.1.0-m6 waits
 * for a queued workflow's result by reading that table once a second (a fixed interval, no
 * notification), which would measure the interval rather than the engine; this watcher reads it
 * every ~0.5 ms while workflows are in flight, for all of them in one statement by primary key.
 *
 * <p>It reads inside one open READ COMMITTED transaction (each statement sees the latest commits)
 * that never commits while the benchmark runs, so it adds nothing to the commit count.
 */
final class CompletionWatcher implements AutoCloseable {
  private static final String QUERY =
      "select workflow_uuid, status from dbos.workflow_status"
          + " where workflow_uuid = any(?) and status <> all(array['PENDING','ENQUEUED','DELAYED'])";

  private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
  private final Connection connection;
  private final Thread thread;
  private volatile boolean running = true;

  CompletionWatcher(DbosBench.Jdbc jdbc) throws SQLException {
    connection = DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password());
    connection.setAutoCommit(false);
    connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    thread = Thread.ofPlatform().name("dbos-completion-watcher").daemon().start(this::loop);
  }

  /** A future completed when workflow {@code id} succeeds, failed when it ends otherwise. */
  CompletableFuture<Void> watch(String id) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    waiting.put(id, f);
    LockSupport.unpark(thread);
    return f;
  }

  private void loop() {
    try (PreparedStatement st = connection.prepareStatement(QUERY)) {
      while (running) {
        if (waiting.isEmpty()) {
          LockSupport.parkNanos(1_000_000);
          continue;
        }
        Array ids = connection.createArrayOf("text", waiting.keySet().toArray());
        st.setArray(1, ids);
        try (var rs = st.executeQuery()) {
          while (rs.next()) {
            CompletableFuture<Void> f = waiting.remove(rs.getString(1));
            if (f == null) {
              continue;
            }
            String status = rs.getString(2);
            if ("SUCCESS".equals(status)) {
              f.complete(null);
            } else {
              f.completeExceptionally(
                  new IllegalStateException("workflow " + rs.getString(1) + " ended " + status));
            }
          }
        }
        ids.free();
        LockSupport.parkNanos(500_000);
      }
    } catch (SQLException e) {
      IllegalStateException failure =
          new IllegalStateException("completion watcher failed: " + e.getMessage(), e);
      waiting.values().forEach(f -> f.completeExceptionally(failure));
    }
  }

  @Override
  public void close() throws SQLException {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closing anyway; the caller sees the flag
    }
    connection.rollback();
    connection.close();
  }
}
