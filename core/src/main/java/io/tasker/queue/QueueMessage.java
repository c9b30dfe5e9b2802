package io.tasker.queue;

import java.time.Instant;

/**
 * One message as {@code read} returns it.
 *
 * @param id the queue-local message id ({@code msg_id})
 * @param readCount how many times it has been delivered, this delivery included
 * @param enqueuedAt when it was sent
 * @param visibleAt when it becomes visible again unless deleted or archived
 * @param body the JSON document, as text
 */
public record QueueMessage(
    long id, int readCount, Instant enqueuedAt, Instant visibleAt, String body) {}
