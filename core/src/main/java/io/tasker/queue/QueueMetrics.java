package io.tasker.queue;

import java.util.OptionalInt;

/**
 * A queue's {@code pgmq.metrics} row.
 *
 * @param length messages in the queue (visible or not)
 * @param newestAgeSeconds age of the newest message, empty when the queue is empty
 * @param oldestAgeSeconds age of the oldest message, empty when the queue is empty
 * @param totalMessages messages ever sent to the queue
 */
public record QueueMetrics(
    String queue,
    long length,
    OptionalInt newestAgeSeconds,
    OptionalInt oldestAgeSeconds,
    long totalMessages) {}
