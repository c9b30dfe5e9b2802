package io.tasker.client;

import java.util.Optional;

/**
 * Filter and page of {@code dlq.list}.
 *
 * @param status a resolution status ({@code pending}, {@code manually_resolved}, …); empty: all
 */
public record DlqFilter(Optional<String> status, int limit, int offset) {
  public DlqFilter {
    if (limit < 1 || limit > TaskFilter.MAX_LIMIT) {
      throw ClientException.invalid(
          "$.limit",
          "limit must be between 1 and " + TaskFilter.MAX_LIMIT + " (got " + limit + ")");
    }
    if (offset < 0) {
      throw ClientException.invalid("$.offset", "offset must not be negative (got " + offset + ")");
    }
    status.ifPresent(DlqUpdate::checkStatus);
  }
}
