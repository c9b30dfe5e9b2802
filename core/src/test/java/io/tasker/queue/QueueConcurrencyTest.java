package io.tasker.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.tasker.testing.TestDatabase;
import io.tasker.testing.TestDatabases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** N consumers × M messages on one queue: every message is held by one consumer at a time. */
class QueueConcurrencyTest {
  private static TestDatabase db;
  private static MessageQueue queue;

  @BeforeAll
  static void setUp() {
    db = TestDatabases.create("queue_concurrency");
    queue = PgMessageQueue.pooled(db.dataSource());
  }

  @AfterAll
  static void tearDown() {
    db.close();
  }

  @Test
  void eachMessageIsDeliveredToExactlyOneConsumerAndNoneIsLost() throws Exception {
    String q = "concurrent";
    queue.create(q);
    int messages = 2000;
    int consumers = 6;
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < messages; i++) {
      bodies.add("{\"n\":" + i + "}");
    }
    for (int i = 0; i < messages; i += 250) {
      queue.sendBatch(q, bodies.subList(i, i + 250), Duration.ZERO);
    }
    Map<Long, String> owner = new ConcurrentHashMap<>();
    AtomicInteger duplicates = new AtomicInteger();
    try (ExecutorService pool = Executors.newFixedThreadPool(consumers)) {
      List<Future<Integer>> results = new ArrayList<>();
      for (int c = 0; c < consumers; c++) {
        String name = "consumer-" + c;
        results.add(
            pool.submit(
                () -> {
                  int mine = 0;
                  while (true) {
                    List<QueueMessage> batch = queue.read(q, Duration.ofSeconds(60), 7);
                    if (batch.isEmpty()) {
                      return mine;
                    }
                    for (QueueMessage m : batch) {
                      if (owner.putIfAbsent(m.id(), name) != null) {
                        duplicates.incrementAndGet();
                      }
                      assertThat(m.readCount()).isEqualTo(1);
                    }
                    queue.delete(q, batch.stream().map(QueueMessage::id).toList());
                    mine += batch.size();
                  }
                }));
      }
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get();
      }
      assertThat(total).isEqualTo(messages);
    }
    assertThat(duplicates.get()).isZero();
    assertThat(owner).hasSize(messages);
    assertThat(queue.metrics(q).length()).isZero();
  }

  @Test
  void messagesOfACrashedConsumerAreRedeliveredOnceTheirTimeoutPasses() throws Exception {
    String q = "crashy";
    queue.create(q);
    long id = queue.send(q, "{\"job\":1}");
    // consumer A claims with a 1 s visibility timeout and "dies" (never deletes)
    assertThat(queue.read(q, Duration.ofSeconds(1), 1)).hasSize(1);
    assertThat(queue.read(q, Duration.ofSeconds(30), 1)).isEmpty();
    List<QueueMessage> redelivered = List.of();
    for (int i = 0; i < 100 && redelivered.isEmpty(); i++) {
      Thread.sleep(50);
      redelivered = queue.read(q, Duration.ofSeconds(30), 1);
    }
    assertThat(redelivered)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.id()).isEqualTo(id);
              assertThat(m.readCount()).isEqualTo(2);
            });
  }
}
