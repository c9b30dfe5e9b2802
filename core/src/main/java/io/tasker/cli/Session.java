package io.tasker.cli;

import io.tasker.TaskerException;
import io.tasker.db.Database;
import io.tasker.db.DatabaseSettings;
import io.tasker.orchestration.Engine;
import io.tasker.orchestration.TaskQueries;
import io.tasker.queue.QueueWaker;
import java.time.Duration;
import picocli.CommandLine;

/**
 * What one command needs of the engine: the database, an {@link Engine}, the read side and, when
 * asked for, a {@link QueueWaker}. Opened lazily; {@link #close} releases it all.
 */
final class Session implements AutoCloseable {
  /** Pool size of the short commands (template, task, step): they use one connection at a time. */
  static final int SHORT_COMMAND_POOL = 2;

  private final Database db;
  private QueueWaker waker;
  private Engine engine;
  private TaskQueries queries;

  private Session(Database db) {
    this.db = db;
  }

  /** Opens the database of this CLI run with at most {@code poolSize} connections. */
  static Session open(CommandLine.Model.CommandSpec spec, int poolSize) {
    DatabaseSettings settings = TaskerCli.root(spec).databaseSettings();
    return new Session(Database.open(settings.withPoolSize(poolSize)));
  }

  /** Opens the database with the configured pool size (long-running commands). */
  static Session openConfigured(CommandLine.Model.CommandSpec spec, int atLeast) {
    DatabaseSettings settings = TaskerCli.root(spec).databaseSettings();
    return new Session(
        Database.open(settings.withPoolSize(Math.max(settings.poolSize(), atLeast))));
  }

  Database database() {
    return db;
  }

  /** The LISTEN/NOTIFY waker, started on first use; waits (bounded) until it listens. */
  QueueWaker waker() {
    if (waker == null) {
      waker = new QueueWaker(db::openDedicatedConnection);
      awaitListening(waker, Duration.ofSeconds(5));
    }
    return waker;
  }

  /**
   * The engine; when {@link #waker()} was called first, it also wakes this process's own consumers
   * at commit.
   */
  Engine engine() {
    if (engine == null) {
      engine = new Engine(db, waker);
    }
    return engine;
  }

  TaskQueries queries() {
    if (queries == null) {
      queries = new TaskQueries(db.dataSource());
    }
    return queries;
  }

  /**
   * Waits until the waker's LISTEN connection is up, so a notification sent right after (a task
   * finishing) is not missed; a waker that is not up in time still works, by polling.
   */
  private static void awaitListening(QueueWaker w, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    try {
      while (!w.listening() && System.nanoTime() < deadline) {
        Thread.sleep(2);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TaskerException("interrupted", "interrupted while connecting");
    }
  }

  @Override
  public void close() {
    if (waker != null) {
      waker.close();
    }
    db.close();
  }
}
