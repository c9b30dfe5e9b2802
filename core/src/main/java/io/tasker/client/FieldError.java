package io.tasker.client;

/**
 * One thing wrong with a request, located by a JSON path into the request document (e.g. {@code
 * $.context.amount}, {@code $.args.task_uuid}); {@code $} when the whole document is at fault.
 */
public record FieldError(String path, String message) {}
