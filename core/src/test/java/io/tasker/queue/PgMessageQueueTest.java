package io.tasker.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tasker.testing.TestDatabase;
import io.tasker.testing.TestDatabases;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PgMessageQueueTest {
  private static TestDatabase db;
  private static MessageQueue queue;
  private static final String Q = "unit";

  @BeforeAll
  static void setUp() {
    db = TestDatabases.create("queue_semantics");
    queue = PgMessageQueue.pooled(db.dataSource());
    queue.create(Q);
  }

  @AfterAll
  static void tearDown() {
    db.close();
  }

  @BeforeEach
  void empty() {
    queue.purge(Q);
  }

  @Test
  void sendThenReadDeliversTheBodyOnceUntilTheVisibilityTimeoutPasses() {
    long id = queue.send(Q, "{\"task\":\"a\"}");
    List<QueueMessage> first = queue.read(Q, Duration.ofSeconds(30), 10);
    assertThat(first)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.id()).isEqualTo(id);
              assertThat(m.readCount()).isEqualTo(1);
              assertThat(m.body()).isEqualTo("{\"task\": \"a\"}");
              assertThat(m.visibleAt()).isAfter(m.enqueuedAt());
            });
    assertThat(queue.read(Q, Duration.ofSeconds(30), 10)).isEmpty();
  }

  @Test
  void anExpiredVisibilityTimeoutRedeliversWithAHigherReadCount() {
    long id = queue.send(Q, "{}");
    assertThat(queue.read(Q, Duration.ZERO, 1))
        .extracting(QueueMessage::readCount)
        .containsExactly(1);
    // vt 0: visible again at once, as after a consumer crash
    List<QueueMessage> again = queue.read(Q, Duration.ofSeconds(30), 1);
    assertThat(again).extracting(QueueMessage::id).containsExactly(id);
    assertThat(again).extracting(QueueMessage::readCount).containsExactly(2);
  }

  @Test
  void setVisibilityTimeoutReleasesAClaimedMessage() {
    long id = queue.send(Q, "{}");
    queue.read(Q, Duration.ofSeconds(60), 1);
    assertThat(queue.read(Q, Duration.ofSeconds(60), 1)).isEmpty();
    assertThat(queue.setVisibilityTimeout(Q, id, Duration.ZERO)).isPresent();
    assertThat(queue.read(Q, Duration.ofSeconds(60), 1))
        .extracting(QueueMessage::id)
        .containsExactly(id);
    assertThat(queue.setVisibilityTimeout(Q, 999_999, Duration.ZERO)).isEmpty();
  }

  @Test
  void readReturnsOldestFirstAndAtMostQty() {
    List<Long> ids =
        queue.sendBatch(Q, List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"), Duration.ZERO);
    assertThat(ids).hasSize(3).isSorted();
    assertThat(queue.read(Q, Duration.ofSeconds(30), 2))
        .extracting(QueueMessage::id)
        .containsExactly(ids.get(0), ids.get(1));
    assertThat(queue.read(Q, Duration.ofSeconds(30), 2))
        .extracting(QueueMessage::id)
        .containsExactly(ids.get(2));
  }

  @Test
  void delayedMessagesStayHiddenUntilDue() {
    queue.send(Q, "{\"late\":true}", Duration.ofSeconds(60));
    assertThat(queue.read(Q, Duration.ofSeconds(30), 10)).isEmpty();
    assertThat(queue.metrics(Q).length()).isEqualTo(1);
    assertThat(queue.nextVisibleIn(Q))
        .hasValueSatisfying(
            d -> assertThat(d).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(61)));
  }

  @Test
  void deleteAndArchiveRemoveMessagesAndArchiveKeepsACopy() throws Exception {
    long a = queue.send(Q, "{\"a\":1}");
    long b = queue.send(Q, "{\"b\":1}");
    long c = queue.send(Q, "{\"c\":1}");
    assertThat(queue.delete(Q, a)).isTrue();
    assertThat(queue.delete(Q, a)).isFalse();
    assertThat(queue.archive(Q, b)).isTrue();
    assertThat(queue.archive(Q, b)).isFalse();
    assertThat(queue.delete(Q, List.of(c, 424242L))).containsExactly(c);
    assertThat(queue.metrics(Q).length()).isZero();
    assertThat(db.queryString("select message->>'b' from pgmq.a_unit where msg_id = " + b))
        .isEqualTo("1");
  }

  @Test
  void metricsCountMessagesAndTheirAges() {
    queue.send(Q, "{}");
    queue.send(Q, "{}");
    QueueMetrics m = queue.metrics(Q);
    assertThat(m.queue()).isEqualTo(Q);
    assertThat(m.length()).isEqualTo(2);
    assertThat(m.oldestAgeSeconds()).isPresent();
    assertThat(m.totalMessages()).isGreaterThanOrEqualTo(2);
    queue.purge(Q);
    assertThat(queue.metrics(Q).oldestAgeSeconds()).isEmpty();
  }

  @Test
  void aRolledBackTransactionSendsNothing() throws Exception {
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      PgMessageQueue.on(c).send(Q, "{\"ghost\":true}");
      assertThat(PgMessageQueue.on(c).metrics(Q).length()).isEqualTo(1);
      c.rollback();
    }
    assertThat(queue.metrics(Q).length()).isZero();
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      PgMessageQueue.on(c).send(Q, "{\"real\":true}");
      c.commit();
    }
    assertThat(queue.metrics(Q).length()).isEqualTo(1);
  }

  @Test
  void createIsIdempotentAndDropRemovesTheQueue() {
    queue.create("short_lived");
    queue.create("short_lived");
    queue.send("short_lived", "{}");
    assertThat(queue.drop("short_lived")).isTrue();
    assertThat(queue.drop("short_lived")).isFalse();
    assertThatThrownBy(() -> queue.send("short_lived", "{}"))
        .isInstanceOf(QueueException.class)
        .hasMessageContaining("queue 'short_lived' does not exist")
        .extracting(e -> ((QueueException) e).code())
        .isEqualTo("queue_not_found");
  }

  @Test
  void badNamesAndBadJsonAreRejectedWithTheReason() {
    assertThatThrownBy(() -> queue.create("Bad-Name"))
        .isInstanceOf(QueueException.class)
        .hasMessageContaining("invalid queue name 'Bad-Name'");
    assertThatThrownBy(() -> queue.send(Q, "{not json"))
        .isInstanceOf(QueueException.class)
        .hasMessageContaining("invalid input syntax for type json");
    assertThat(queue.metrics(Q).length()).isZero();
  }
}
