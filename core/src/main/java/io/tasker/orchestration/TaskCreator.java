package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.Json;
import io.tasker.TaskerException;
import io.tasker.queue.QueueWaker;
import io.tasker.sql.Sql;
import io.tasker.sql.Tx;
import io.tasker.sql.Uuids;
import io.tasker.state.TaskState;
import io.tasker.template.ContextValidator;
import io.tasker.template.IdentityStrategy;
import io.tasker.template.StepTemplate;
import io.tasker.template.TaskTemplate;
import io.tasker.template.TemplateHash;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Creates a task in one transaction: the task, its static steps, their edges, the first
 * transitions, and the messages for the steps that are ready at once. Nothing is stored when the
 * context does not match the template's {@code input_schema}.
 */
final class TaskCreator {
  private final ContextValidator contexts = new ContextValidator();
  private final Predicate<String> consumedHereIdle;

  /**
   * @param consumedHereIdle whether a consumer of a queue waits for work in this process (see
   *     {@link Engine#wakesLocally})
   */
  TaskCreator(Predicate<String> consumedHereIdle) {
    this.consumedHereIdle = consumedHereIdle;
  }

  /** Validates before any transaction opens (so a bad request costs no database work). */
  void validate(TaskTemplate template, JsonNode context) {
    if (context == null || !context.isObject()) {
      throw new TaskerException("invalid_context", "the task context must be a JSON object");
    }
    contexts.validate(template, context);
  }

  /**
   * Stores the task, its static steps, edges and first transitions and enqueues the steps ready at
   * once, in one call of {@code tasker.create_task}: {@code tx} may run in autocommit mode.
   */
  UUID create(Tx tx, TemplateStore.Stored stored, TaskRequest req) throws SQLException {
    var c = tx.connection();
    TaskTemplate template = stored.template();
    String identity = identityHash(template, req);
    UUID task = Uuids.v7();
    UUID correlation = Uuids.v7();
    StepGraph graph = new StepGraph(template);
    Map<String, UUID> ids = new HashMap<>();
    ArrayNode steps = Json.MAPPER.createArrayNode();
    for (StepTemplate s : graph.staticSteps()) {
      UUID id = Uuids.v7();
      ids.put(s.name(), id);
      steps.add(StepFactory.row(id, s));
    }
    ArrayNode edges = Json.MAPPER.createArrayNode();
    for (StepTemplate s : graph.staticSteps()) {
      for (String dep : s.dependencies()) {
        if (graph.isStatic(dep)) {
          edges.add(edge(ids.get(dep), ids.get(s.name()), StepFactory.PROVIDES));
        } else {
          for (String origin : graph.origins(dep)) {
            edges.add(edge(ids.get(origin), ids.get(s.name()), StepFactory.GATES));
          }
        }
      }
    }
    String queue = Queues.worker(template.namespaceName());
    var created =
        Sql.queryOne(
                c,
                "engine/create_task",
                rs ->
                    new Created(
                        rs.getBoolean("created"),
                        rs.getString("task_state"),
                        rs.getInt("enqueued")),
                task,
                stored.namedTaskUuid(),
                req.context(),
                identity,
                req.priority(),
                req.initiator(),
                req.sourceSystem(),
                req.reason(),
                req.tags(),
                correlation,
                null,
                steps,
                edges,
                queue,
                consumedHereIdle.test(queue))
            .orElseThrow();
    if (!created.created()) {
      UUID existing =
          Sql.queryOne(
                  c, "engine/find_task_by_identity", rs -> rs.getObject(1, UUID.class), identity)
              .orElse(null);
      throw new DuplicateTaskException(template.key(), existing);
    }
    if (created.enqueued() > 0) {
      tx.sentTo(queue);
    }
    if (TaskState.fromWire(created.taskState()).terminal()) {
      tx.sentTo(QueueWaker.taskKey(task.toString()));
    }
    return task;
  }

  private record Created(boolean created, String taskState, int enqueued) {}

  private static ObjectNode edge(UUID from, UUID to, String kind) {
    return Json.object().put("from", from.toString()).put("to", to.toString()).put("kind", kind);
  }

  /** tasker-core's identity strategies; a request's idempotency key overrides them. */
  static String identityHash(TaskTemplate t, TaskRequest req) {
    var doc = Json.object().put("template", t.key());
    if (req.idempotencyKey().isPresent()) {
      return TemplateHash.of(doc.put("idempotency_key", req.idempotencyKey().get()));
    }
    IdentityStrategy strategy = t.identityStrategy();
    return switch (strategy) {
      case STRICT -> TemplateHash.of(doc.set("context", req.context()));
      case ALWAYS_UNIQUE -> UUID.randomUUID().toString();
      case CALLER_PROVIDED ->
          throw new TaskerException(
              "idempotency_key_required",
              "template "
                  + t.key()
                  + " uses identity_strategy caller_provided: pass an idempotency key");
    };
  }
}
