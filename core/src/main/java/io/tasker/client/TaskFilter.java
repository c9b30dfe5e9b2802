package io.tasker.client;

import io.tasker.state.TaskState;
import java.util.Optional;

/** Filters and page of {@code task.list}. */
public record TaskFilter(
    Optional<String> namespace,
    Optional<String> name,
    Optional<TaskState> state,
    int limit,
    int offset) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 1000;

  public TaskFilter {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ClientException.invalid(
          "$.limit", "limit must be between 1 and " + MAX_LIMIT + " (got " + limit + ")");
    }
    if (offset < 0) {
      throw ClientException.invalid("$.offset", "offset must not be negative (got " + offset + ")");
    }
  }

  public static TaskFilter all() {
    return new TaskFilter(Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_LIMIT, 0);
  }
}
