package io.tasker.queue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one queue: takes only as much work as it has free slots (so nothing waits in memory
 * while another process could take it), runs each unit on a pooled thread, and sleeps on the {@link
 * QueueWaker} when the queue is empty.
 *
 * <p>Units and the loop run on platform threads (reused; at most {@code concurrency} of them), not
 * virtual ones: a unit is a few database round trips, and a virtual thread parks on every reply and
 * waits for the poller and a carrier to resume it. Measured on the step path (2 vCPUs, gVisor): a
 * linear 4-step task 34 -> 27 ms P50 (docs/benchmarks.md). Handlers' own code runs elsewhere.
 *
 * <p>By default a unit is one message given to a {@link Handler}, which deletes or archives it in
 * its own transaction; a message whose handler fails stays in the queue and comes back after its
 * visibility timeout, and one that failed {@code maxDeliveries} times is archived as poison. An
 * {@link Intake} replaces the read when more must happen atomically with it (the worker reads and
 * claims its steps in one transaction: one commit per batch instead of one per message plus one per
 * claim).
 */
public final class QueueConsumer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueueConsumer.class);

  /** Handles one message; must delete or archive it when done. */
  @FunctionalInterface
  public interface Handler {
    void handle(QueueMessage message) throws Exception;
  }

  /**
   * Takes up to {@code max} units of work off the queue (a read, and whatever belongs in the same
   * transaction); an empty list means the queue had nothing for us. A unit must not throw.
   */
  @FunctionalInterface
  public interface Intake {
    List<Runnable> take(int max);
  }

  /** How a consumer reads. */
  public record Settings(
      Duration visibilityTimeout,
      int concurrency,
      int batchSize,
      Duration pollInterval,
      int maxDeliveries) {
    public static Settings defaults() {
      return new Settings(Duration.ofSeconds(30), 16, 10, Duration.ofSeconds(1), 10);
    }

    public Settings withConcurrency(int n) {
      return new Settings(visibilityTimeout, n, batchSize, pollInterval, maxDeliveries);
    }

    public Settings withVisibilityTimeout(Duration vt) {
      return new Settings(vt, concurrency, batchSize, pollInterval, maxDeliveries);
    }
  }

  private final String queueName;
  private final QueueWaker waker;
  private final Settings settings;
  private final Intake intake;
  private final Semaphore slots;
  private final ExecutorService executor;
  private final Thread loop;
  private volatile boolean running = true;

  /** Consumes messages one by one with {@code handler}. */
  public QueueConsumer(
      String queueName, MessageQueue queue, QueueWaker waker, Settings settings, Handler handler) {
    this(
        queueName,
        waker,
        settings,
        max ->
            queue.read(queueName, settings.visibilityTimeout(), max).stream()
                .map(m -> (Runnable) () -> handleOne(queueName, settings, queue, handler, m))
                .toList());
  }

  /**
   * Consumes with {@code intake}, which reads (honouring the visibility timeout and delivery limit
   * of {@code settings} itself) and turns messages into units of work.
   */
  public QueueConsumer(String queueName, QueueWaker waker, Settings settings, Intake intake) {
    this.queueName = queueName;
    this.waker = waker;
    this.settings = settings;
    this.intake = intake;
    this.slots = new Semaphore(settings.concurrency());
    this.executor =
        Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("consume-" + queueName + "-", 1).factory());
    this.loop = Thread.ofPlatform().daemon().name("consume-" + queueName).unstarted(this::run);
  }

  public QueueConsumer start() {
    loop.start();
    return this;
  }

  private void run() {
    Duration backoff = settings.pollInterval();
    while (running) {
      try {
        slots.acquire();
        int free = 1 + slots.drainPermits();
        long seen = waker.generation(queueName);
        List<Runnable> batch;
        try {
          batch = intake.take(Math.min(free, settings.batchSize()));
        } catch (RuntimeException e) {
          slots.release(free);
          throw e;
        }
        slots.release(free - batch.size());
        for (Runnable unit : batch) {
          executor.execute(
              () -> {
                try {
                  unit.run();
                } finally {
                  slots.release();
                }
              });
        }
        if (batch.isEmpty()) {
          waker.await(queueName, seen, settings.pollInterval());
        }
        backoff = settings.pollInterval();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // database down or similar: keep trying, at a bounded pace, without losing anything
        LOG.warn(
            "reading {} failed ({}); retrying in {} ms",
            queueName,
            e.getMessage(),
            backoff.toMillis());
        sleep(backoff);
        backoff =
            backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                ? Duration.ofSeconds(10)
                : backoff.multipliedBy(2);
      }
    }
  }

  private static void handleOne(
      String queueName, Settings settings, MessageQueue queue, Handler handler, QueueMessage m) {
    try {
      if (m.readCount() > settings.maxDeliveries()) {
        LOG.error(
            "message {} on {} failed {} deliveries; archived for inspection: {}",
            m.id(),
            queueName,
            m.readCount() - 1,
            m.body());
        queue.archive(queueName, m.id());
        return;
      }
      handler.handle(m);
    } catch (Exception e) {
      LOG.warn(
          "handling message {} on {} failed (delivery {}); it comes back after the visibility timeout: {}",
          m.id(),
          queueName,
          m.readCount(),
          e.toString());
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops reading, lets handlers in progress finish within {@code grace}, leaves the rest. */
  public void close(Duration grace) {
    running = false;
    waker.wakeLocal(queueName);
    try {
      loop.join(grace.toMillis() + 1000);
      executor.shutdown();
      if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "{}: handlers still running after {}; their messages return by visibility timeout",
            queueName,
            grace);
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
