package io.tasker.ffi;

import io.tasker.TaskerException;
import io.tasker.db.Database;
import io.tasker.db.DatabaseSettings;
import io.tasker.orchestration.Engine;
import io.tasker.queue.QueueWaker;
import java.time.Duration;
import java.util.Optional;

/** The database, waker and engine of this process's bridge, opened once on first use. */
final class Services implements AutoCloseable {
  private final Database db;
  private final QueueWaker waker;
  private final Engine engine;
  private final Optional<String> url;

  private Services(Database db, QueueWaker waker, Engine engine, Optional<String> url) {
    this.db = db;
    this.waker = waker;
    this.engine = engine;
    this.url = url;
  }

  /** Opens {@code url}, else {@code DATABASE_URL}, else the embedded default. */
  static Services open(Optional<String> url, int poolAtLeast) {
    DatabaseSettings s = DatabaseSettings.fromEnvironment();
    if (url.isPresent()) {
      s = s.withUrl(url.get());
    }
    Database db = Database.open(s.withPoolSize(Math.max(s.poolSize(), poolAtLeast)));
    QueueWaker waker = null;
    try {
      waker = new QueueWaker(db::openDedicatedConnection);
      awaitListening(waker, Duration.ofSeconds(5));
      return new Services(db, waker, new Engine(db, waker), url);
    } catch (RuntimeException e) {
      if (waker != null) {
        waker.close();
      }
      db.close();
      throw e;
    }
  }

  /** The URL this was opened with (empty: DATABASE_URL or the embedded default). */
  Optional<String> requestedUrl() {
    return url;
  }

  Database database() {
    return db;
  }

  QueueWaker waker() {
    return waker;
  }

  Engine engine() {
    return engine;
  }

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
    try {
      waker.close();
    } finally {
      db.close();
    }
  }
}
