package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.Json;
import io.tasker.TaskerException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Creates a task in one transaction: the task, its static steps, their edges, the first
 * transitions, and the messages for the steps that are ready at once. Nothing is stored when the
 * context does not match the template's {@code input_schema}.
 */
final class TaskCreator {
  private final ContextValidator contexts = new ContextValidator();
  private final TaskEvaluator evaluator;

  TaskCreator(TaskEvaluator evaluator) {
    this.evaluator = evaluator;
  }

  /** Validates before any transaction opens (so a bad request costs no database work). */
  void validate(TaskTemplate template, JsonNode context) {
    if (context == null || !context.isObject()) {
      throw new TaskerException("invalid_context", "the task context must be a JSON object");
    }
    contexts.validate(template, context);
  }

  UUID create(Tx tx, TemplateStore.Stored stored, TaskRequest req) throws SQLException {
    var c = tx.connection();
    TaskTemplate template = stored.template();
    String identity = identityHash(template, req);
    UUID task = Uuids.v7();
    UUID correlation = Uuids.v7();
    boolean inserted =
        Sql.queryOne(
                c,
                "engine/insert_task",
                rs -> rs.getObject(1, UUID.class),
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
                null)
            .isPresent();
    if (!inserted) {
      UUID existing =
          Sql.queryOne(
                  c, "engine/find_task_by_identity", rs -> rs.getObject(1, UUID.class), identity)
              .orElse(null);
      throw new DuplicateTaskException(template.key(), existing);
    }
    StateWriter.task(c, task, null, TaskState.PENDING, null);

    StepGraph graph = new StepGraph(template);
    List<StepFactory.Edge> edges = new ArrayList<>();
    for (StepTemplate s : graph.staticSteps()) {
      for (String dep : s.dependencies()) {
        if (graph.isStatic(dep)) {
          edges.add(new StepFactory.Edge(dep, s.name(), StepFactory.PROVIDES));
        } else {
          for (String origin : graph.origins(dep)) {
            edges.add(new StepFactory.Edge(origin, s.name(), StepFactory.GATES));
          }
        }
      }
    }
    StepFactory.createAll(c, task, graph.staticSteps(), edges);
    evaluator.evaluate(
        tx,
        new LockedTask(
            task, TaskState.PENDING, stored.namedTaskUuid(), correlation, template.namespaceName()),
        false);
    return task;
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
