package io.tasker.orchestration;

import io.tasker.template.StepTemplate;
import io.tasker.template.StepType;
import io.tasker.template.TaskTemplate;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which template steps exist from the start and which appear at run time.
 *
 * <p>Dynamic: the children a decision step may create (and, below them, steps that need them), and
 * batch workers (one per batch, created by their batchable step). A {@code deferred_convergence}
 * step always exists from the start; until its dynamic parents are created it is held back by a
 * {@code gates} edge from the decision or batchable step they come from, and afterwards waits only
 * for the parents that were actually created.
 */
final class StepGraph {
  private final TaskTemplate template;
  private final Map<String, StepTemplate> byName = new LinkedHashMap<>();
  private final Set<String> dynamic = new LinkedHashSet<>();

  StepGraph(TaskTemplate template) {
    this.template = template;
    template.steps().forEach(s -> byName.put(s.name(), s));
    // template steps are in dependency order after validation; iterate to a fixed point anyway
    boolean changed = true;
    while (changed) {
      changed = false;
      for (StepTemplate s : template.steps()) {
        if (dynamic.contains(s.name()) || s.type() == StepType.DEFERRED_CONVERGENCE) {
          continue;
        }
        boolean isDynamic =
            s.type() == StepType.BATCH_WORKER
                || s.dependencies().stream()
                    .anyMatch(d -> dynamic.contains(d) || typeOf(d) == StepType.DECISION);
        if (isDynamic) {
          dynamic.add(s.name());
          changed = true;
        }
      }
    }
  }

  TaskTemplate template() {
    return template;
  }

  StepTemplate step(String name) {
    return byName.get(name);
  }

  boolean isStatic(String name) {
    return !dynamic.contains(name);
  }

  List<StepTemplate> staticSteps() {
    return template.steps().stream().filter(s -> isStatic(s.name())).toList();
  }

  /** The static decision/batchable steps a dynamic step ultimately comes from. */
  Set<String> origins(String dynamicStep) {
    Set<String> out = new LinkedHashSet<>();
    for (String parent : byName.get(dynamicStep).dependencies()) {
      if (isStatic(parent)) {
        out.add(parent);
      } else {
        out.addAll(origins(parent));
      }
    }
    return out;
  }

  /** Template steps that list {@code name} as a dependency. */
  List<StepTemplate> children(String name) {
    return template.steps().stream().filter(s -> s.dependencies().contains(name)).toList();
  }

  private StepType typeOf(String name) {
    StepTemplate s = byName.get(name);
    return s == null ? null : s.type();
  }
}
