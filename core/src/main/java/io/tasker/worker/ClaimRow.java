package io.tasker.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * One row of {@code tasker.claim_steps}: what the claim did with one message, and for a claimed
 * step what its handler context needs (the template comes from a cache keyed by content hash).
 */
record ClaimRow(
    Outcome outcome,
    long msgId,
    int readCount,
    String message,
    UUID taskUuid,
    UUID stepUuid,
    int attempt,
    int maxAttempts,
    String stepName,
    JsonNode inputs,
    Optional<StepContext.Checkpoint> checkpoint,
    JsonNode context,
    UUID correlationId,
    UUID namedTaskUuid,
    String contentHash,
    String taskName,
    String namespace,
    String templateStep,
    JsonNode dependencyResults) {

  /** What the claim did with a message. */
  enum Outcome {
    /** The step is now in progress on {@code attempt}: run it. */
    CLAIMED,
    /** Redelivered with no attempts left, untouched: fail it for good in the same transaction. */
    EXHAUSTED,
    /** Past the delivery limit: archived. */
    OVER_LIMIT,
    /** Not a step message: archived. */
    NOT_A_STEP,
    /** The step no longer exists: message deleted. */
    GONE,
    /** The step is done, cancelled or taken over by an operator: message deleted. */
    STALE
  }

  /**
   * The claim columns of {@code rs}, when a claim is there (a report's next step may be absent).
   */
  static Optional<ClaimRow> ofNullable(ResultSet rs) throws SQLException {
    return rs.getString("outcome") == null ? Optional.empty() : Optional.of(of(rs));
  }

  static ClaimRow of(ResultSet rs) throws SQLException {
    JsonNode cp = Json.parse(rs.getString("checkpoint"), "checkpoint");
    return new ClaimRow(
        Outcome.valueOf(rs.getString("outcome").toUpperCase(Locale.ROOT)),
        rs.getLong("msg_id"),
        rs.getInt("read_ct"),
        rs.getString("message"),
        rs.getObject("task_uuid", UUID.class),
        rs.getObject("step_uuid", UUID.class),
        rs.getInt("attempt"),
        rs.getInt("max_attempts"),
        rs.getString("step_name"),
        Json.parse(rs.getString("inputs"), "step inputs"),
        cp == null
            ? Optional.empty()
            : Optional.of(
                new StepContext.Checkpoint(
                    cp.path("cursor"),
                    cp.path("items_processed").asLong(),
                    cp.path("accumulated_results"))),
        Json.parse(rs.getString("context"), "task context"),
        rs.getObject("correlation_id", UUID.class),
        rs.getObject("named_task_uuid", UUID.class),
        rs.getString("content_hash"),
        rs.getString("task_name"),
        rs.getString("namespace"),
        rs.getString("template_step"),
        Json.parse(rs.getString("dependency_results"), "parent results"));
  }
}
