package io.tasker.bench;

import io.tasker.Json;
import io.tasker.db.Database;
import io.tasker.orchestration.Engine;
import io.tasker.orchestration.TaskRequest;
import io.tasker.queue.QueueWaker;
import io.tasker.sql.Sql;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Keeps a target number of tasks in flight on a cluster in other processes: creator threads create
 * a task whenever one of the open ones finishes, and finishing is the task's final-state
 * notification ({@code LISTEN tasker_task}), so a slot is refilled within milliseconds and the load
 * generator does not add polling commits. When no notification comes for a while (a dropped listen
 * connection, or simply a long queue) it asks the database which open tasks are final.
 */
final class InFlightLoad implements AutoCloseable {
  /**
   * Creations at once. On a saturated machine one creation takes 100+ ms (about 15 statements, each
   * waiting for a CPU); 4 creators then held only ~12 of 1,000 requested tasks in flight.
   */
  private static final int CREATORS = 16;

  private static final Duration RECHECK_AFTER = Duration.ofSeconds(2);

  private final Engine engine;
  private final Database db;
  private final List<String> shapes;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<UUID, Long> open = new ConcurrentHashMap<>();
  private final ConcurrentSkipListSet<Long> openSequence = new ConcurrentSkipListSet<>();
  private final Set<UUID> finishedBeforeRecorded = ConcurrentHashMap.newKeySet();
  private final AtomicLong created = new AtomicLong();
  private final AtomicLong lastFinishNanos = new AtomicLong(System.nanoTime());
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;
  private volatile RuntimeException failure;
  private int target;
  private int reserved;

  /** Starts the listener and the creators with no task in flight until {@link #target(int)}. */
  InFlightLoad(Database db, QueueWaker waker, List<String> shapes) {
    this.db = db;
    this.engine = new Engine(db, waker);
    this.shapes = List.copyOf(shapes);
    threads.add(Thread.ofPlatform().daemon().name("scale-listener").start(this::listen));
    for (int i = 0; i < CREATORS; i++) {
      threads.add(Thread.ofVirtual().name("scale-creator-" + i).start(this::create));
    }
  }

  static int connectionsNeeded() {
    return CREATORS + 2;
  }

  /** From now on keep {@code tasks} in flight. */
  void target(int tasks) {
    lock.lock();
    try {
      target = tasks;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Tasks created and not yet final. */
  int inFlight() {
    return open.size();
  }

  long created() {
    return created.get();
  }

  /**
   * Waits until the target is in flight, then until every task created up to that moment is final
   * and {@code atLeast} has passed: the queues then hold only tasks created at this load, the
   * steady state. Returns false when {@code limit} passed first.
   */
  boolean awaitTurnover(Duration atLeast, Duration limit) throws InterruptedException {
    long t0 = System.nanoTime();
    long deadline = t0 + limit.toNanos();
    // filled: as many created since now as it takes from the tasks open now to the target
    long filled = created.get() + Math.max(0, currentTarget() - open.size());
    while (created.get() < filled && System.nanoTime() < deadline) {
      check();
      Thread.sleep(20);
    }
    long filledAt = created.get();
    while (System.nanoTime() < deadline) {
      check();
      boolean drained = openSequence.isEmpty() || openSequence.first() >= filledAt;
      if (drained && System.nanoTime() - t0 >= atLeast.toNanos()) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  /** Throws what stopped a creator (a task the engine refused), if anything did. */
  void check() {
    if (failure != null) {
      throw failure;
    }
  }

  private int currentTarget() {
    lock.lock();
    try {
      return target;
    } finally {
      lock.unlock();
    }
  }

  private void create() {
    try {
      while (running) {
        lock.lock();
        try {
          while (running && reserved >= target) {
            changed.await();
          }
          if (!running) {
            return;
          }
          reserved++;
        } finally {
          lock.unlock();
        }
        long seq = created.getAndIncrement();
        String shape = shapes.get((int) (seq % shapes.size()));
        UUID task = engine.createTask(TaskRequest.of("bench", shape, Json.object()));
        open.put(task, seq);
        openSequence.add(seq);
        if (finishedBeforeRecorded.remove(task)) {
          finished(task);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failure = e;
    }
  }

  private void finished(UUID task) {
    Long seq = open.remove(task);
    if (seq == null) {
      finishedBeforeRecorded.add(task); // notified before its creator recorded it
      return;
    }
    openSequence.remove(seq);
    lastFinishNanos.set(System.nanoTime());
    lock.lock();
    try {
      reserved--;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void listen() {
    while (running) {
      try (Connection c = db.openDedicatedConnection()) {
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + QueueWaker.TASK_CHANNEL);
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] batch = pg.getNotifications(200);
          if (batch != null) {
            for (PGNotification n : batch) {
              finished(UUID.fromString(n.getParameter()));
            }
          }
          if (System.nanoTime() - lastFinishNanos.get() > RECHECK_AFTER.toNanos()) {
            recheck();
          }
        }
      } catch (SQLException e) {
        sleepQuietly(200); // reconnect; recheck() finds what finished meanwhile
      }
    }
  }

  /** Asks the database which open tasks are final (notifications can be missed on a reconnect). */
  private void recheck() throws SQLException {
    lastFinishNanos.set(System.nanoTime());
    UUID[] ids = open.keySet().toArray(UUID[]::new);
    if (ids.length == 0) {
      return;
    }
    try (Connection c = db.dataSource().getConnection()) {
      Array array = c.createArrayOf("uuid", ids);
      for (UUID task :
          Sql.query(c, "bench/scale_final_among", rs -> rs.getObject(1, UUID.class), array)) {
        finished(task);
      }
    }
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops creating; tasks in flight are left to the cluster (its database is dropped after). */
  @Override
  public void close() {
    running = false;
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      for (Thread t : threads) {
        t.join(Duration.ofSeconds(30));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
