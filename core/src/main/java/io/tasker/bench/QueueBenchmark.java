package io.tasker.bench;

import io.tasker.db.Database;
import io.tasker.queue.MessageQueue;
import io.tasker.queue.PgMessageQueue;
import io.tasker.queue.QueueMessage;
import io.tasker.queue.QueueWaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Measures the queue layer on a real database: the send → NOTIFY → read → delete round trip
 * (latency, with as many messages in flight as consumers) and sustained throughput (batched sends,
 * consumers reading up to 10 at a time).
 */
public final class QueueBenchmark {
  /** One row of the report. */
  public record Result(
      int consumers,
      int roundTrips,
      double p50Micros,
      double p95Micros,
      double p99Micros,
      double roundTripsPerSecond,
      int throughputMessages,
      double messagesPerSecond) {}

  private static final Duration VT = Duration.ofSeconds(30);

  private final Database db;
  private final MessageQueue queue;

  public QueueBenchmark(Database db) {
    this.db = db;
    this.queue = PgMessageQueue.pooled(db.dataSource());
  }

  public Result run(int consumers, int roundTrips, int throughputMessages) throws Exception {
    String q = "bench_" + ProcessHandle.current().pid() + "_" + consumers;
    queue.create(q);
    queue.purge(q);
    try (QueueWaker waker = new QueueWaker(db::openDedicatedConnection)) {
      waitUntilListening(waker);
      long[] latencies = new long[roundTrips];
      double rtps = roundTrip(q, waker, consumers, latencies);
      double mps = throughput(q, waker, consumers, throughputMessages);
      Arrays.sort(latencies);
      return new Result(
          consumers,
          roundTrips,
          percentile(latencies, 0.50) / 1000.0,
          percentile(latencies, 0.95) / 1000.0,
          percentile(latencies, 0.99) / 1000.0,
          rtps,
          throughputMessages,
          mps);
    } finally {
      queue.drop(q);
    }
  }

  private double roundTrip(String q, QueueWaker waker, int consumers, long[] latencies)
      throws InterruptedException {
    Semaphore inFlight = new Semaphore(consumers);
    AtomicInteger done = new AtomicInteger();
    CountDownLatch finished = new CountDownLatch(1);
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < consumers; i++) {
      threads.add(
          Thread.ofPlatform()
              .name("bench-consumer-" + i)
              .start(
                  consume(
                      q,
                      waker,
                      stop,
                      1,
                      m -> {
                        long sent = Long.parseLong(m.body().replaceAll("[^0-9]", ""));
                        queue.delete(q, m.id());
                        int n = done.getAndIncrement();
                        if (n < latencies.length) {
                          latencies[n] = System.nanoTime() - sent;
                        }
                        inFlight.release();
                        if (n + 1 == latencies.length) {
                          finished.countDown();
                        }
                      })));
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < latencies.length; i++) {
      inFlight.acquire();
      queue.send(q, "{\"t\":" + System.nanoTime() + "}");
    }
    finished.await();
    double seconds = (System.nanoTime() - t0) / 1e9;
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    return latencies.length / seconds;
  }

  private double throughput(String q, QueueWaker waker, int consumers, int total)
      throws InterruptedException {
    AtomicInteger done = new AtomicInteger();
    CountDownLatch finished = new CountDownLatch(1);
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < consumers; i++) {
      threads.add(
          Thread.ofPlatform()
              .name("bench-consumer-" + i)
              .start(
                  consumeBatches(
                      q,
                      waker,
                      stop,
                      batch -> {
                        queue.delete(q, batch.stream().map(QueueMessage::id).toList());
                        if (done.addAndGet(batch.size()) >= total) {
                          finished.countDown();
                        }
                      })));
    }
    List<String> chunk = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      chunk.add("{\"i\":" + i + "}");
      if (chunk.size() == 100 || i == total - 1) {
        queue.sendBatch(q, chunk, Duration.ZERO);
        chunk.clear();
      }
    }
    finished.await();
    double seconds = (System.nanoTime() - t0) / 1e9;
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    return total / seconds;
  }

  private interface MessageSink {
    void accept(QueueMessage m);
  }

  private interface BatchSink {
    void accept(List<QueueMessage> batch);
  }

  private Runnable consume(
      String q, QueueWaker waker, AtomicBoolean stop, int max, MessageSink sink) {
    return consumeBatches(q, waker, stop, batch -> batch.forEach(sink::accept), max);
  }

  private Runnable consumeBatches(String q, QueueWaker waker, AtomicBoolean stop, BatchSink sink) {
    return consumeBatches(q, waker, stop, sink, 10);
  }

  private Runnable consumeBatches(
      String q, QueueWaker waker, AtomicBoolean stop, BatchSink sink, int max) {
    return () -> {
      while (!stop.get()) {
        long seen = waker.generation(q);
        List<QueueMessage> batch = queue.read(q, VT, max);
        if (batch.isEmpty()) {
          try {
            waker.await(q, seen, Duration.ofMillis(50));
          } catch (InterruptedException e) {
            return;
          }
        } else {
          sink.accept(batch);
        }
      }
    };
  }

  private static void waitUntilListening(QueueWaker waker) throws InterruptedException {
    for (int i = 0; i < 200 && !waker.listening(); i++) {
      Thread.sleep(10);
    }
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int idx = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.clamp(idx, 0, sorted.length - 1)];
  }
}
