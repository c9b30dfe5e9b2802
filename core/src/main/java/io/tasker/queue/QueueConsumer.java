package io.tasker.queue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one queue: reads only as many messages as it has free slots (so nothing waits in memory
 * while another process could take it), handles each on a virtual thread, and sleeps on the {@link
 * QueueWaker} when the queue is empty. The handler deletes or archives the message, in its own
 * transaction; a message whose handler fails stays in the queue and comes back after its visibility
 * timeout, and one that failed {@code maxDeliveries} times is archived as poison.
 */
public final class QueueConsumer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueueConsumer.class);

  /** Handles one message; must delete or archive it when done. */
  @FunctionalInterface
  public interface Handler {
    void handle(QueueMessage message) throws Exception;
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
  private final MessageQueue queue;
  private final QueueWaker waker;
  private final Settings settings;
  private final Handler handler;
  private final Semaphore slots;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicLong handled = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Thread loop;
  private volatile boolean running = true;

  public QueueConsumer(
      String queueName, MessageQueue queue, QueueWaker waker, Settings settings, Handler handler) {
    this.queueName = queueName;
    this.queue = queue;
    this.waker = waker;
    this.settings = settings;
    this.handler = handler;
    this.slots = new Semaphore(settings.concurrency());
    this.loop = Thread.ofVirtual().name("consume-" + queueName).unstarted(this::run);
  }

  public QueueConsumer start() {
    loop.start();
    return this;
  }

  public long handled() {
    return handled.get();
  }

  public long failed() {
    return failed.get();
  }

  private void run() {
    Duration backoff = settings.pollInterval();
    while (running) {
      try {
        slots.acquire();
        int free = 1 + slots.drainPermits();
        long seen = waker.generation(queueName);
        List<QueueMessage> batch =
            queue.read(
                queueName, settings.visibilityTimeout(), Math.min(free, settings.batchSize()));
        slots.release(free - batch.size());
        for (QueueMessage m : batch) {
          executor.execute(() -> handleOne(m));
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

  private void handleOne(QueueMessage m) {
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
      handled.incrementAndGet();
    } catch (Exception e) {
      failed.incrementAndGet();
      LOG.warn(
          "handling message {} on {} failed (delivery {}); it comes back after the visibility timeout: {}",
          m.id(),
          queueName,
          m.readCount(),
          e.toString());
    } finally {
      slots.release();
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
