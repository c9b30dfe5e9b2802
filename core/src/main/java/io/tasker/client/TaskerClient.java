package io.tasker.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.orchestration.TaskRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Everything a client can do, one method per client op of docs/abi.md (the op names are on each
 * method). Every result is the JSON document the REST API answers with (docs/api.md), so a caller
 * cannot tell {@link LocalTaskerClient} (on the database) from {@link HttpTaskerClient} (over
 * REST). Failures are {@link ClientException}s.
 */
public interface TaskerClient extends AutoCloseable {
  /** {@code task.create}: the created task's document. */
  JsonNode createTask(TaskRequest request);

  /** {@code task.get}: the task document (task fields plus {@code steps[]}). */
  JsonNode getTask(UUID task);

  /** {@code task.list}: {@code {"tasks": [...], "pagination": {...}}}, newest first. */
  JsonNode listTasks(TaskFilter filter);

  /** {@code task.cancel}: the task document after cancelling. */
  JsonNode cancelTask(UUID task, String reason);

  /** {@code task.wait}: the task document once final; {@code wait_timeout} (TIMEOUT) if not. */
  JsonNode waitForTask(UUID task, Duration timeout);

  /** {@code step.list}: the task's step documents. */
  JsonNode listSteps(UUID task);

  /** {@code step.get}: one step document. */
  JsonNode getStep(UUID task, UUID step);

  /** {@code step.update}: applies an operator action; the step document after it. */
  JsonNode updateStep(UUID task, UUID step, StepUpdate update);

  /** {@code step.audit}: the step's transitions, oldest first. */
  JsonNode stepAudit(UUID task, UUID step);

  /** {@code template.list}: template summaries, optionally of one namespace. */
  JsonNode listTemplates(Optional<String> namespace);

  /** {@code template.get}: the template document (empty version: the highest registered). */
  JsonNode getTemplate(String namespace, String name, Optional<String> version);

  /** {@code template.register}: registers template YAML; its summary with the outcome. */
  JsonNode registerTemplate(String yaml, boolean force);

  /** {@code dlq.list}: {@code {"entries": [...]}}, newest first. */
  JsonNode listDlq(DlqFilter filter);

  /** {@code dlq.get}: one DLQ entry with its task snapshot. */
  JsonNode getDlqEntry(UUID entry);

  /** {@code dlq.update}: closes an investigation; the entry after it. */
  JsonNode updateDlqEntry(UUID entry, DlqUpdate update);

  /** {@code dlq.stats}: {@code {"stats": [...]}} entries by status and reason. */
  JsonNode dlqStats();

  /** {@code analytics}: task and step counts and durations by template over a window. */
  JsonNode analytics(Duration window);

  /** {@code health}: the detailed health document. */
  JsonNode health();

  /** Releases what the client holds (connections); the default holds nothing. */
  @Override
  default void close() {}
}
