package io.tasker.worker;

import java.time.Duration;
import java.util.UUID;

/**
 * A step this worker holds: the attempt it started, the handler to run and its context.
 *
 * @param attempt the attempt number this worker started; its completion is accepted only while the
 *     step is still on this attempt
 */
record Claim(
    UUID taskUuid,
    UUID stepUuid,
    UUID correlationId,
    int attempt,
    String taskVersion,
    String callable,
    Duration timeout,
    StepContext context) {}
