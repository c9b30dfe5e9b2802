package io.tasker.queue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes consumers the moment a message is sent: one dedicated connection LISTENs on {@code
 * tasker_queue} (sent by a statement trigger on every queue table, in the sending transaction) and
 * signals the waiters of that queue. Waits are always bounded, so a lost notification or a dropped
 * listener connection costs at most one poll interval, never a stuck consumer.
 *
 * <p>Use: {@code long seen = waker.generation(q); read(q); if empty: waker.await(q, seen, max)}.
 * Taking the generation before reading closes the race where a message arrives between an empty
 * read and the wait.
 */
public final class QueueWaker implements AutoCloseable {
  public static final String CHANNEL = "tasker_queue";

  /** Sent when a task reaches a final state; payload: the task uuid. */
  public static final String TASK_CHANNEL = "tasker_task";

  private static final Logger LOG = LoggerFactory.getLogger(QueueWaker.class);
  private static final Duration LISTEN_POLL = Duration.ofMillis(500);
  private static final Duration MAX_RECONNECT_BACKOFF = Duration.ofSeconds(5);

  /** Opens a fresh connection outside any pool (LISTEN belongs to one session). */
  @FunctionalInterface
  public interface ConnectionFactory {
    Connection open() throws SQLException;
  }

  private static final class Signal {
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    final java.util.concurrent.atomic.AtomicInteger waiting =
        new java.util.concurrent.atomic.AtomicInteger();
    volatile long generation;
  }

  private final ConnectionFactory factory;
  private final ConcurrentMap<String, Signal> signals = new ConcurrentHashMap<>();
  private final AtomicLong notificationsReceived = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean listening;

  public QueueWaker(ConnectionFactory factory) {
    this.factory = factory;
    this.thread = Thread.ofPlatform().daemon().name("tasker-queue-listener").unstarted(this::loop);
    thread.start();
  }

  /** Current generation of a queue's signal; pass it to {@link #await}. */
  public long generation(String queue) {
    return signal(queue).generation;
  }

  /**
   * Waits until a message is sent to {@code queue} after {@code seenGeneration} was read, or until
   * {@code maxWait} passes. Returns true when woken by a notification.
   */
  public boolean await(String queue, long seenGeneration, Duration maxWait)
      throws InterruptedException {
    Signal s = signal(queue);
    long remaining = maxWait.toNanos();
    s.waiting.incrementAndGet();
    s.lock.lock();
    try {
      while (s.generation == seenGeneration) {
        if (remaining <= 0) {
          return false;
        }
        remaining = s.changed.awaitNanos(remaining);
      }
      return true;
    } finally {
      s.lock.unlock();
      s.waiting.decrementAndGet();
    }
  }

  /**
   * True while a consumer of {@code queue} in this process waits for work: a message sent now and
   * followed by {@link #wakeLocal} at commit is taken by it, so other processes need not be
   * signalled for that message.
   */
  public boolean idleHere(String queue) {
    Signal s = signals.get(queue);
    return s != null && s.waiting.get() > 0;
  }

  /**
   * Wakes this process's waiters of {@code queue} at once, without waiting for the database's
   * notification: senders call it after committing, so a consumer in the same JVM does not pay the
   * NOTIFY round trip (the notification still reaches other processes).
   */
  public void wakeLocal(String queue) {
    wakeKey(queue);
  }

  /**
   * Drops the signal of {@code key} (a task waiter that is done). Queue keys stay: a process has a
   * few queues but sees every task of the cluster finish.
   */
  public void forget(String key) {
    signals.remove(key);
  }

  /** Keys with a signal: the queues this process consumes and the tasks being waited for. */
  public int trackedKeys() {
    return signals.size();
  }

  /**
   * The signal key of a task's final-state notification: {@code await(taskKey(uuid), ...)} waits
   * until the task finishes (check its state after taking the generation, as with queues).
   */
  public static String taskKey(String taskUuid) {
    return "task:" + taskUuid;
  }

  /** True while the LISTEN connection is up (false: consumers fall back to polling). */
  public boolean listening() {
    return listening;
  }

  public long notificationsReceived() {
    return notificationsReceived.get();
  }

  private Signal signal(String queue) {
    return signals.computeIfAbsent(queue, q -> new Signal());
  }

  /**
   * Wakes the waiters of {@code key}, if any: a key nobody took a generation of has nobody to wake
   * (and whoever takes one later reads after taking it), so no signal is created here.
   */
  private void wakeKey(String key) {
    Signal s = signals.get(key);
    if (s != null) {
      wake(s);
    }
  }

  private void wake(Signal s) {
    s.lock.lock();
    try {
      s.generation++;
      s.changed.signalAll();
    } finally {
      s.lock.unlock();
    }
  }

  private void loop() {
    Duration backoff = Duration.ofMillis(100);
    while (running) {
      try (Connection c = factory.open()) {
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + CHANNEL);
          st.execute("LISTEN " + TASK_CHANNEL);
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        listening = true;
        backoff = Duration.ofMillis(100);
        // Messages may have been sent while nobody listened: let every waiter look once.
        signals.values().forEach(this::wake);
        while (running) {
          PGNotification[] batch = pg.getNotifications((int) LISTEN_POLL.toMillis());
          if (batch == null) {
            continue;
          }
          for (PGNotification n : batch) {
            notificationsReceived.incrementAndGet();
            wakeKey(
                n.getName().equals(TASK_CHANNEL) ? taskKey(n.getParameter()) : n.getParameter());
          }
        }
      } catch (SQLException e) {
        if (!running) {
          break;
        }
        listening = false;
        LOG.warn(
            "queue listener lost its connection ({}); consumers poll until it is back, retry in {} ms",
            e.getMessage(),
            backoff.toMillis());
        signals.values().forEach(this::wake);
        try {
          TimeUnit.MILLISECONDS.sleep(backoff.toMillis());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        }
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_RECONNECT_BACKOFF) > 0
                ? MAX_RECONNECT_BACKOFF
                : backoff.multipliedBy(2);
      }
    }
    listening = false;
  }

  @Override
  public void close() {
    running = false; // the listen loop notices within one LISTEN_POLL
    try {
      thread.join(LISTEN_POLL.multipliedBy(4).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    signals.values().forEach(this::wake);
  }
}
