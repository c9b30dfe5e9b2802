package io.tasker.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * What a worker knows about one dispatch of a step beyond its {@link StepContext}: the details a
 * handler that forwards the step to another runtime (the FFI bridge) has to pass on.
 *
 * @param timeout the step's deadline as a duration (its {@code timeout_seconds} or the worker's
 *     default); the worker fails the attempt as retryable {@code timeout} when it passes
 * @param deadline when {@code timeout} runs out for this dispatch
 */
public record StepDispatch(
    UUID correlationId, String taskVersion, String callable, Duration timeout, Instant deadline) {}
