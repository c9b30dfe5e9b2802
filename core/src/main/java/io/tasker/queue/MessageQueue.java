package io.tasker.queue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * pgmq semantics: at-least-once delivery with a visibility timeout. {@link #read} hands each
 * visible message to exactly one reader and hides it for {@code visibilityTimeout}; a message that
 * is neither deleted nor archived before then is delivered again with {@code readCount + 1}.
 *
 * <p>Implementations bound to a {@link java.sql.Connection} take part in the caller's transaction,
 * which is how a state change and the message it causes commit (or roll back) together.
 */
public interface MessageQueue {
  /** Creates the queue (and its archive) if missing; idempotent. */
  void create(String queue);

  /** Sends one JSON message, visible after {@code delay}; returns its id. */
  long send(String queue, String json, Duration delay);

  default long send(String queue, String json) {
    return send(queue, json, Duration.ZERO);
  }

  /** Sends several messages in one statement; ids in input order. */
  List<Long> sendBatch(String queue, List<String> json, Duration delay);

  /** Claims up to {@code max} visible messages, oldest first. Never blocks on other readers. */
  List<QueueMessage> read(String queue, Duration visibilityTimeout, int max);

  /** Removes a message for good; false when it no longer exists. */
  boolean delete(String queue, long id);

  /** Removes several messages; returns the ids that existed. */
  List<Long> delete(String queue, List<Long> ids);

  /** Moves a message to the queue's archive ({@code pgmq.a_<queue>}); false when it is gone. */
  boolean archive(String queue, long id);

  /** Makes a message visible again after {@code visibilityTimeout} from now (zero: at once). */
  Optional<QueueMessage> setVisibilityTimeout(String queue, long id, Duration visibilityTimeout);

  QueueMetrics metrics(String queue);

  /** Time until the earliest hidden message becomes visible; empty when none is hidden. */
  Optional<Duration> nextVisibleIn(String queue);

  /** Deletes every message; returns how many. */
  long purge(String queue);

  /** Drops the queue and its archive; false when it did not exist. */
  boolean drop(String queue);
}
