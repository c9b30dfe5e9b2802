package io.tasker.orchestration;

import io.tasker.queue.PgMessageQueue;
import io.tasker.queue.QueueConsumer;
import io.tasker.queue.QueueMessage;
import io.tasker.queue.QueueWaker;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes step results and task requests. Each message is handled in one transaction that also
 * deletes it, so a crash at any point leaves the message to be redelivered and handled again
 * (idempotently). Several orchestrators may run against one database.
 */
public final class Orchestrator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Orchestrator.class);

  private final Engine engine;
  private final QueueConsumer results;
  private final QueueConsumer requests;
  private AutoCloseable sweeper = () -> {};

  public Orchestrator(Engine engine, QueueWaker waker, int concurrency) {
    this.engine = engine;
    QueueConsumer.Settings settings =
        QueueConsumer.Settings.defaults().withConcurrency(concurrency);
    this.results =
        new QueueConsumer(
            Queues.STEP_RESULTS,
            engine.queue(),
            waker,
            settings,
            m -> handle(Queues.STEP_RESULTS, m));
    this.requests =
        new QueueConsumer(
            Queues.TASK_REQUESTS,
            engine.queue(),
            waker,
            settings,
            m -> handle(Queues.TASK_REQUESTS, m));
  }

  public Orchestrator start() {
    results.start();
    requests.start();
    sweeper =
        new DeadLetters(engine, DeadLetters.Limits.defaults()).schedule(Duration.ofMinutes(1));
    LOG.info("orchestrator started");
    return this;
  }

  private void handle(String queue, QueueMessage m) {
    StepMessage msg;
    try {
      msg = StepMessage.parse(m.body());
    } catch (RuntimeException e) {
      LOG.error("malformed message {} on {} archived: {}", m.id(), queue, e.getMessage());
      engine.queue().archive(queue, m.id());
      return;
    }
    engine.inTx(
        tx -> {
          if (msg.kind().equals("evaluate")) {
            engine.evaluateIn(tx, msg.taskUuid());
          } else {
            engine.processResultIn(tx, msg.taskUuid(), msg.stepUuid());
          }
          PgMessageQueue.on(tx.connection()).delete(queue, m.id());
          return null;
        });
  }

  @Override
  public void close() {
    try {
      sweeper.close();
    } catch (Exception e) {
      LOG.debug("stopping the staleness sweeper: {}", e.toString());
    }
    results.close(Duration.ofSeconds(10));
    requests.close(Duration.ofSeconds(10));
  }
}
