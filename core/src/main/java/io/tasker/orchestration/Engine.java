package io.tasker.orchestration;

import io.tasker.db.Database;
import io.tasker.queue.MessageQueue;
import io.tasker.queue.PgMessageQueue;
import io.tasker.queue.QueueWaker;
import io.tasker.sql.Tx;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The orchestration core of one process: creates tasks, records step results, evaluates tasks and
 * applies operator actions. Stateless between calls (everything is in the database), so any number
 * of processes may run one against the same database.
 */
public final class Engine {
  private final Database db;
  private final TemplateStore templates;
  private final MessageQueue queue;
  private final TaskEvaluator evaluator;
  private final TaskCreator creator;
  private final ResultProcessor results;
  private final Consumer<Set<String>> afterCommit;
  private final Set<String> knownQueues = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final java.util.function.Predicate<String> consumedHereIdle;

  /**
   * @param waker when given, queues this process sends to wake its own consumers at commit instead
   *     of waiting for the database notification
   */
  public Engine(Database db, QueueWaker waker) {
    this.db = db;
    this.consumedHereIdle = waker == null ? q -> false : waker::idleHere;
    this.evaluator = new TaskEvaluator(consumedHereIdle);
    this.creator = new TaskCreator(consumedHereIdle);
    this.templates = new TemplateStore(db.dataSource());
    this.queue = PgMessageQueue.pooled(db.dataSource());
    this.results = new ResultProcessor(templates, evaluator);
    this.afterCommit = waker == null ? q -> {} : q -> q.forEach(waker::wakeLocal);
    Queues.createOrchestrationQueues(queue);
  }

  public Database database() {
    return db;
  }

  public TemplateStore templates() {
    return templates;
  }

  public MessageQueue queue() {
    return queue;
  }

  /** Creates a task (validated, one transaction); throws {@link DuplicateTaskException}. */
  public UUID createTask(TaskRequest request) {
    TemplateStore.Stored stored =
        templates.find(request.namespace(), request.name(), request.version());
    creator.validate(stored.template(), request.context());
    // pgmq.create is DDL (idempotent but not cheap): once per queue and process
    String workerQueue = Queues.worker(stored.template().namespaceName());
    if (!knownQueues.contains(workerQueue)) {
      queue.create(workerQueue);
      knownQueues.add(workerQueue);
    }
    return Tx.single(db.dataSource(), afterCommit, tx -> creator.create(tx, stored, request));
  }

  /** Records a worker's report for a step and moves the task on. */
  public void processStepResult(UUID task, UUID step) {
    inTx(
        tx -> {
          results.process(tx, task, step);
          return null;
        });
  }

  void processResultIn(Tx tx, UUID task, UUID step) throws java.sql.SQLException {
    results.process(tx, task, step);
  }

  /**
   * Records a step's report and moves the task on inside the caller's transaction: a worker that
   * reports this way saves the orchestration hop (a queue message, a wake-up and a commit) per
   * step. The caller takes {@code task} with {@link #lockTask} in the same transaction before
   * locking the step, so every transaction locks a task before its steps (no deadlocks).
   */
  public void recordStepReport(Tx tx, LockedTask task, UUID step) throws java.sql.SQLException {
    results.process(tx, task, step);
  }

  /**
   * Records a handler's success of {@code attempt} in the caller's transaction: stores {@code
   * result}, completes the step and moves the task on, without the enqueued_for_orchestration hop.
   * Returns false, writing nothing, when the step is no longer in progress on that attempt (a late
   * report). Same locking rule as {@link #recordStepReport}.
   */
  public boolean recordStepSuccess(
      Tx tx,
      LockedTask task,
      UUID step,
      int attempt,
      com.fasterxml.jackson.databind.JsonNode result)
      throws java.sql.SQLException {
    return results.processInlineSuccess(tx, task, step, attempt, result);
  }

  /** Locks a task row for the rest of the transaction; empty when the task does not exist. */
  public java.util.Optional<LockedTask> lockTask(Tx tx, UUID task) throws java.sql.SQLException {
    return LockedTask.lock(tx.connection(), task);
  }

  void evaluateIn(Tx tx, UUID task) throws java.sql.SQLException {
    var locked = LockedTask.lock(tx.connection(), task);
    if (locked.isPresent()) {
      evaluator.evaluate(tx, locked.get(), false);
    }
  }

  /**
   * Whether a consumer of {@code queue} waits for work in this process: a send to it then wakes
   * that consumer at commit and may skip the database notification.
   */
  public boolean wakesLocally(String queue) {
    return consumedHereIdle.test(queue);
  }

  public OperatorActions operator() {
    return new OperatorActions(this, evaluator);
  }

  <T> T inTx(Tx.Body<T> body) {
    return Tx.run(db.dataSource(), afterCommit, body);
  }
}
