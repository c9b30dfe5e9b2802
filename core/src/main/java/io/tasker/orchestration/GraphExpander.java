package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.template.StepTemplate;
import io.tasker.template.StepType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Creates the steps a decision or batchable step asks for, in the transaction that records its
 * result. Outcomes use tasker-core's shapes: {@code decision_point_outcome {type: create_steps,
 * step_names}} and {@code batch_processing_outcome {type: create_batches | no_batches,
 * worker_template_name, cursor_configs}}.
 */
final class GraphExpander {
  /** The outcome asks for something the template does not allow; the step fails permanently. */
  static final class InvalidOutcome extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidOutcome(String message) {
      super(message);
    }
  }

  private GraphExpander() {}

  static void decision(
      Connection c, UUID task, StepGraph graph, String decisionStep, JsonNode result)
      throws SQLException, InvalidOutcome {
    JsonNode outcome = result == null ? null : result.get("decision_point_outcome");
    if (outcome == null || !outcome.isObject()) {
      throw new InvalidOutcome("a decision step must return decision_point_outcome");
    }
    String type = outcome.path("type").asText();
    if (type.equals("no_branches")) {
      return;
    }
    if (!type.equals("create_steps") || !outcome.path("step_names").isArray()) {
      throw new InvalidOutcome(
          "decision_point_outcome must be {type: create_steps, step_names: [...]}");
    }
    Set<String> allowed = new LinkedHashSet<>();
    graph.children(decisionStep).forEach(s -> allowed.add(s.name()));
    List<String> names = new ArrayList<>();
    for (JsonNode n : outcome.get("step_names")) {
      String name = n.asText();
      if (!allowed.contains(name) || graph.isStatic(name)) {
        throw new InvalidOutcome(
            "decision step '"
                + decisionStep
                + "' cannot create step '"
                + name
                + "'; it may create "
                + allowed);
      }
      names.add(name);
    }
    Map<String, UUID> existing = existingSteps(c, task);
    // the chosen children, then every dynamic descendant whose parents all exist by then
    Set<String> toCreate = new LinkedHashSet<>(names);
    boolean grew = true;
    while (grew) {
      grew = false;
      for (StepTemplate s : graph.template().steps()) {
        if (!graph.isStatic(s.name())
            && !toCreate.contains(s.name())
            && !existing.containsKey(s.name())
            && s.type() != StepType.BATCH_WORKER
            && !s.dependencies().isEmpty()
            && s.dependencies().stream()
                .allMatch(d -> toCreate.contains(d) || existing.containsKey(d))
            && s.dependencies().stream().anyMatch(toCreate::contains)) {
          toCreate.add(s.name());
          grew = true;
        }
      }
    }
    Map<String, UUID> created = new HashMap<>();
    for (String name : toCreate) {
      created.put(name, StepFactory.create(c, task, graph.step(name), name, null));
    }
    Map<String, UUID> all = new HashMap<>(existing);
    all.putAll(created);
    for (String name : toCreate) {
      for (String dep : graph.step(name).dependencies()) {
        StepFactory.edge(c, all.get(dep), created.get(name), StepFactory.PROVIDES);
      }
      linkConvergence(c, graph, name, created.get(name), existing);
    }
  }

  static void batches(Connection c, UUID task, StepGraph graph, String batchable, JsonNode result)
      throws SQLException, InvalidOutcome {
    JsonNode outcome = result == null ? null : result.get("batch_processing_outcome");
    if (outcome == null || !outcome.isObject()) {
      throw new InvalidOutcome("a batchable step must return batch_processing_outcome");
    }
    String type = outcome.path("type").asText();
    if (type.equals("no_batches")) {
      return;
    }
    if (!type.equals("create_batches") || !outcome.path("cursor_configs").isArray()) {
      throw new InvalidOutcome(
          "batch_processing_outcome must be {type: create_batches, cursor_configs: [...]} or {type: no_batches}");
    }
    String workerName = outcome.path("worker_template_name").asText(null);
    StepTemplate worker = workerName == null ? null : graph.step(workerName);
    if (worker == null
        || worker.type() != StepType.BATCH_WORKER
        || !worker.dependencies().contains(batchable)) {
      throw new InvalidOutcome(
          "worker_template_name '"
              + workerName
              + "' is not a batch_worker step that depends on '"
              + batchable
              + "'");
    }
    Map<String, UUID> existing = existingSteps(c, task);
    UUID parent = existing.get(batchable);
    int index = 0;
    for (JsonNode cursor : outcome.get("cursor_configs")) {
      index++;
      String batchId =
          cursor.hasNonNull("batch_id")
              ? cursor.get("batch_id").asText()
              : String.format("%03d", index);
      String name = workerName + "_" + batchId;
      UUID id = StepFactory.create(c, task, worker, name, cursor);
      StepFactory.edge(c, parent, id, StepFactory.PROVIDES);
      linkConvergence(c, graph, workerName, id, existing);
    }
  }

  /** Convergence steps that depend on the template step {@code templateName} now wait for it. */
  private static void linkConvergence(
      Connection c,
      StepGraph graph,
      String templateName,
      UUID createdStep,
      Map<String, UUID> existing)
      throws SQLException {
    for (StepTemplate child : graph.children(templateName)) {
      if (child.type() == StepType.DEFERRED_CONVERGENCE && existing.containsKey(child.name())) {
        StepFactory.edge(c, createdStep, existing.get(child.name()), StepFactory.PROVIDES);
      }
    }
  }

  private static Map<String, UUID> existingSteps(Connection c, UUID task) throws SQLException {
    Map<String, UUID> out = new HashMap<>();
    for (TaskSteps s : TaskSteps.of(c, task)) {
      out.put(s.name(), s.uuid());
    }
    return out;
  }
}
