package io.tasker.worker;

import io.tasker.orchestration.Engine;
import io.tasker.orchestration.Queues;
import io.tasker.queue.QueueConsumer;
import io.tasker.queue.QueueWaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Java handlers for the steps of its namespaces: one {@link QueueConsumer} per namespace
 * queue, handlers on virtual threads, at most {@link WorkerConfig#concurrency()} at once per
 * namespace.
 */
public final class Worker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  private final List<QueueConsumer> consumers = new ArrayList<>();
  private final StepExecutor executor;
  private final ExecutorService handlerThreads = Executors.newVirtualThreadPerTaskExecutor();

  public Worker(Engine engine, QueueWaker waker, HandlerRegistry handlers, WorkerConfig config) {
    this.executor =
        new StepExecutor(
            engine, handlers, config, handlerThreads, q -> q.forEach(waker::wakeLocal));
    for (String ns : config.namespaces()) {
      String queue = Queues.worker(ns);
      engine.queue().create(queue);
      var settings =
          QueueConsumer.Settings.defaults()
              .withConcurrency(config.concurrency())
              .withVisibilityTimeout(config.defaultStepTimeout().plus(config.deadlineGrace()));
      consumers.add(
          new QueueConsumer(queue, waker, settings, max -> executor.take(queue, settings, max)));
    }
    LOG.info(
        "worker serving {} with {} handler(s)",
        config.namespaces(),
        handlers.handlerNames().size());
  }

  public Worker start() {
    consumers.forEach(QueueConsumer::start);
    return this;
  }

  /** Stops claiming; handlers in progress get {@code grace} to finish and report. */
  public void close(Duration grace) {
    executor.stop();
    consumers.forEach(c -> c.close(grace));
    handlerThreads.shutdownNow();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
