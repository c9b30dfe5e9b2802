package io.tasker.template;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SequencedMap;
import java.util.Set;

/**
 * The step DAG of a template: parents (the steps a step depends on), children (the steps that
 * depend on it), roots, and a topological order. Lists follow template order, so the result is the
 * same on every run and in every language.
 */
public final class DependencyGraph {
  private final List<String> order;
  private final Map<String, List<String>> parents;
  private final Map<String, List<String>> children;

  private DependencyGraph(
      List<String> order, Map<String, List<String>> parents, Map<String, List<String>> children) {
    this.order = order;
    this.parents = parents;
    this.children = children;
  }

  public static DependencyGraph of(TaskTemplate template) {
    SequencedMap<String, List<String>> dependencies = new LinkedHashMap<>();
    template.steps().forEach(s -> dependencies.put(s.name(), s.dependencies()));
    return of(dependencies);
  }

  /**
   * Builds the graph from step name to dependency names, in template order.
   *
   * @throws IllegalArgumentException on an unknown dependency or a cycle (a validated template has
   *     neither)
   */
  public static DependencyGraph of(SequencedMap<String, List<String>> dependencies) {
    Map<String, List<String>> parents = new HashMap<>();
    Map<String, List<String>> children = new HashMap<>();
    dependencies.keySet().forEach(name -> children.put(name, new ArrayList<>()));
    dependencies.forEach(
        (name, deps) -> {
          List<String> distinct = List.copyOf(new LinkedHashSet<>(deps));
          for (String dep : distinct) {
            if (!children.containsKey(dep)) {
              throw new IllegalArgumentException("step '" + name + "': unknown step '" + dep + "'");
            }
            children.get(dep).add(name);
          }
          parents.put(name, distinct);
        });
    List<List<String>> cycles = cycles(dependencies);
    if (!cycles.isEmpty()) {
      throw new IllegalArgumentException("cycle " + String.join(" -> ", cycles.getFirst()));
    }
    children.replaceAll((name, list) -> List.copyOf(list));
    return new DependencyGraph(
        topologicalOrder(dependencies, parents, children), parents, children);
  }

  /** Every step, each after all of its parents; ties keep template order. */
  public List<String> topologicalOrder() {
    return order;
  }

  /** The steps {@code step} depends on. */
  public List<String> parents(String step) {
    return lookup(parents, step);
  }

  /** The steps that depend on {@code step}. */
  public List<String> children(String step) {
    return lookup(children, step);
  }

  /** Steps with no dependencies, in template order. */
  public List<String> roots() {
    return order.stream().filter(s -> parents.get(s).isEmpty()).toList();
  }

  /** Steps nothing depends on, in topological order. */
  public List<String> leaves() {
    return order.stream().filter(s -> children.get(s).isEmpty()).toList();
  }

  /** Every step reachable from {@code step} through children, in topological order. */
  public List<String> descendants(String step) {
    Set<String> seen = new LinkedHashSet<>();
    var pending = new ArrayDeque<>(children(step));
    while (!pending.isEmpty()) {
      String next = pending.pop();
      if (seen.add(next)) {
        pending.addAll(children.get(next));
      }
    }
    return order.stream().filter(seen::contains).toList();
  }

  private static List<String> lookup(Map<String, List<String>> edges, String step) {
    List<String> found = edges.get(step);
    if (found == null) {
      throw new IllegalArgumentException("unknown step '" + step + "'");
    }
    return found;
  }

  /** Kahn's algorithm, always taking the earliest ready step in template order. */
  private static List<String> topologicalOrder(
      SequencedMap<String, List<String>> dependencies,
      Map<String, List<String>> parents,
      Map<String, List<String>> children) {
    List<String> names = List.copyOf(dependencies.keySet());
    Map<String, Integer> position = new HashMap<>();
    names.forEach(n -> position.put(n, position.size()));
    Map<String, Integer> waiting = new HashMap<>();
    var ready = new PriorityQueue<String>(Comparator.comparing(position::get));
    for (String name : names) {
      waiting.put(name, parents.get(name).size());
      if (parents.get(name).isEmpty()) {
        ready.add(name);
      }
    }
    List<String> order = new ArrayList<>(names.size());
    while (!ready.isEmpty()) {
      String next = ready.poll();
      order.add(next);
      for (String child : children.get(next)) {
        if (waiting.merge(child, -1, Integer::sum) == 0) {
          ready.add(child);
        }
      }
    }
    return List.copyOf(order);
  }

  /**
   * One cycle per strongly connected component that has one, each written from the component's
   * first step in template order and back to it, following "depends on": {@code [a, c, b, a]} means
   * a depends on c, c on b, b on a. Dependencies on unknown steps are ignored.
   */
  static List<List<String>> cycles(SequencedMap<String, List<String>> dependencies) {
    List<List<String>> cycles = new ArrayList<>();
    for (Set<String> component : new Tarjan(dependencies).components()) {
      String start =
          dependencies.keySet().stream().filter(component::contains).findFirst().orElseThrow();
      if (component.size() > 1 || dependencies.get(start).contains(start)) {
        cycles.add(shortestCycle(start, component, dependencies));
      }
    }
    return cycles;
  }

  /** Breadth-first from {@code start} back to itself, staying inside its component. */
  private static List<String> shortestCycle(
      String start, Set<String> component, Map<String, List<String>> dependencies) {
    Map<String, String> previous = new HashMap<>();
    var queue = new ArrayDeque<String>(List.of(start));
    while (!queue.isEmpty()) {
      String current = queue.poll();
      for (String dep : dependencies.get(current)) {
        if (dep.equals(start)) {
          List<String> path = new ArrayList<>(List.of(start));
          for (String step = current; !step.equals(start); step = previous.get(step)) {
            path.add(1, step);
          }
          path.add(start);
          return path;
        }
        if (component.contains(dep) && !previous.containsKey(dep)) {
          previous.put(dep, current);
          queue.add(dep);
        }
      }
    }
    throw new IllegalStateException("no cycle through " + start);
  }

  /** Tarjan's strongly connected components; templates are small, so recursion is fine. */
  private static final class Tarjan {
    private final Map<String, List<String>> dependencies;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> lowLink = new HashMap<>();
    private final ArrayDeque<String> stack = new ArrayDeque<>();
    private final Set<String> onStack = new HashSet<>();
    private final List<Set<String>> components = new ArrayList<>();

    Tarjan(Map<String, List<String>> dependencies) {
      this.dependencies = dependencies;
    }

    List<Set<String>> components() {
      dependencies
          .keySet()
          .forEach(
              name -> {
                if (!index.containsKey(name)) {
                  visit(name);
                }
              });
      return components;
    }

    private void visit(String name) {
      index.put(name, index.size());
      lowLink.put(name, index.get(name));
      stack.push(name);
      onStack.add(name);
      for (String dep : dependencies.get(name)) {
        if (!dependencies.containsKey(dep)) {
          continue;
        }
        if (!index.containsKey(dep)) {
          visit(dep);
          lowLink.put(name, Math.min(lowLink.get(name), lowLink.get(dep)));
        } else if (onStack.contains(dep)) {
          lowLink.put(name, Math.min(lowLink.get(name), index.get(dep)));
        }
      }
      if (lowLink.get(name).equals(index.get(name))) {
        Set<String> component = new LinkedHashSet<>();
        String member;
        do {
          member = stack.pop();
          onStack.remove(member);
          component.add(member);
        } while (!member.equals(name));
        components.add(component);
      }
    }
  }
}
