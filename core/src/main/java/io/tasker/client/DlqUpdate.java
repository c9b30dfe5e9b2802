package io.tasker.client;

import java.util.List;

/**
 * Closes a DLQ investigation.
 *
 * @param resolutionStatus {@code manually_resolved}, {@code permanently_failed} or {@code
 *     cancelled}
 */
public record DlqUpdate(String resolutionStatus, String notes, String resolvedBy) {
  static final List<String> STATUSES =
      List.of("pending", "manually_resolved", "permanently_failed", "cancelled");

  public DlqUpdate {
    if (resolutionStatus == null
        || resolutionStatus.equals("pending")
        || !STATUSES.contains(resolutionStatus)) {
      throw ClientException.invalid(
          "$.resolution_status",
          "resolution_status must be manually_resolved, permanently_failed or cancelled (got "
              + (resolutionStatus == null ? "nothing" : "'" + resolutionStatus + "'")
              + ")");
    }
    if (notes == null || notes.isBlank()) {
      throw ClientException.invalid("$.resolution_notes", "resolution_notes is required");
    }
  }

  static void checkStatus(String status) {
    if (!STATUSES.contains(status)) {
      throw ClientException.invalid(
          "$.status",
          "status must be one of " + String.join(", ", STATUSES) + " (got '" + status + "')");
    }
  }
}
