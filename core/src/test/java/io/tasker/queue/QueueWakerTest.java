package io.tasker.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.tasker.testing.TestDatabase;
import io.tasker.testing.TestDatabases;
import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class QueueWakerTest {
  private static TestDatabase db;
  private static MessageQueue queue;
  private static QueueWaker waker;

  @BeforeAll
  static void setUp() throws Exception {
    db = TestDatabases.create("queue_waker");
    queue = PgMessageQueue.pooled(db.dataSource());
    queue.create("wake");
    queue.create("other");
    waker = new QueueWaker(db.database()::openDedicatedConnection);
    for (int i = 0; i < 500 && !waker.listening(); i++) {
      Thread.sleep(10);
    }
    assertThat(waker.listening()).isTrue();
  }

  @AfterAll
  static void tearDown() {
    waker.close();
    db.close();
  }

  /**
   * Every process listens to every task's final-state notification; one that nobody waits for must
   * not leave state behind (it did: a signal per task ever finished, in every process).
   */
  @Test
  void finalStateNotificationsNobodyWaitsForLeaveNothingBehind() throws Exception {
    long before = waker.notificationsReceived();
    int tracked = waker.trackedKeys();
    try (Connection c = db.dataSource().getConnection();
        java.sql.Statement st = c.createStatement()) {
      st.execute(
          "select pg_notify('"
              + QueueWaker.TASK_CHANNEL
              + "', gen_random_uuid()::text) from generate_series(1, 500)");
    }
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (waker.notificationsReceived() < before + 500 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(waker.notificationsReceived()).isGreaterThanOrEqualTo(before + 500);
    for (int i = 0; i < 500; i++) {
      waker.wakeLocal(QueueWaker.taskKey(java.util.UUID.randomUUID().toString()));
    }
    assertThat(waker.trackedKeys()).isEqualTo(tracked);
  }

  @Test
  void aTaskWaiterIsWokenOnceAndItsKeyForgotten() throws Exception {
    String key = QueueWaker.taskKey(java.util.UUID.randomUUID().toString());
    int tracked = waker.trackedKeys();
    long seen = waker.generation(key);
    waker.wakeLocal(key);
    assertThat(waker.await(key, seen, java.time.Duration.ofSeconds(5))).isTrue();
    waker.forget(key);
    assertThat(waker.trackedKeys()).isEqualTo(tracked);
  }

  @Test
  void aSendWakesTheWaiterOfThatQueue() throws Exception {
    long seen = waker.generation("wake");
    Thread sender =
        Thread.ofVirtual()
            .start(
                () -> {
                  sleep(100);
                  queue.send("wake", "{}");
                });
    // generous bound: the wait must end by notification, not by running out
    boolean woken = waker.await("wake", seen, Duration.ofSeconds(30));
    sender.join();
    assertThat(woken).isTrue();
    assertThat(queue.read("wake", Duration.ofSeconds(30), 1)).hasSize(1);
  }

  @Test
  void aSendToAnotherQueueDoesNotWakeTheWaiter() throws Exception {
    long seen = waker.generation("wake");
    queue.send("other", "{}");
    assertThat(waker.await("wake", seen, Duration.ofMillis(300))).isFalse();
  }

  @Test
  void aWaitingConsumerIsIdleHereUntilWoken() throws Exception {
    assertThat(waker.idleHere("idle_probe")).isFalse();
    long seen = waker.generation("idle_probe");
    Thread waiter =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    waker.await("idle_probe", seen, Duration.ofSeconds(30));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    for (int i = 0; i < 500 && !waker.idleHere("idle_probe"); i++) {
      Thread.sleep(10);
    }
    assertThat(waker.idleHere("idle_probe")).isTrue();
    waker.wakeLocal("idle_probe");
    waiter.join(Duration.ofSeconds(10));
    assertThat(waiter.isAlive()).isFalse();
    assertThat(waker.idleHere("idle_probe")).isFalse();
  }

  @Test
  void aSendMarkedAsWokenLocallySkipsTheNotificationForThatQueueOnly() throws Exception {
    long seen = waker.generation("wake");
    long seenOther = waker.generation("other");
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      try (var st = c.prepareStatement("select set_config('tasker.woken_locally', ?, true)")) {
        st.setString(1, "wake");
        st.executeQuery().close();
      }
      PgMessageQueue.on(c).send("wake", "{}");
      PgMessageQueue.on(c).send("other", "{}");
      c.commit();
    }
    assertThat(waker.await("other", seenOther, Duration.ofSeconds(30))).isTrue();
    assertThat(waker.await("wake", seen, Duration.ofMillis(300))).isFalse();
    queue.purge("wake");
    queue.purge("other");
  }

  @Test
  void aRolledBackSendNotifiesNobodyAndACommittedOneNotifiesAtCommit() throws Exception {
    long seen = waker.generation("wake");
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      PgMessageQueue.on(c).send("wake", "{}");
      assertThat(waker.await("wake", seen, Duration.ofMillis(300))).isFalse();
      c.rollback();
    }
    assertThat(waker.await("wake", seen, Duration.ofMillis(300))).isFalse();
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      PgMessageQueue.on(c).send("wake", "{}");
      c.commit();
    }
    assertThat(waker.await("wake", seen, Duration.ofSeconds(30))).isTrue();
    queue.purge("wake");
  }

  @Test
  void aMessageSentBeforeTheWaitIsNotMissed() throws Exception {
    long seen = waker.generation("wake");
    queue.send("wake", "{}");
    // the notification may arrive before await is called: the generation check catches it
    assertThat(waker.await("wake", seen, Duration.ofSeconds(30))).isTrue();
    queue.purge("wake");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
