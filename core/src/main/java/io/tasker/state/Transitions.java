package io.tasker.state;

import io.tasker.TaskerException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The legal transitions of both state machines. The database holds the same table ({@code
 * tasker.task_state_rules}, {@code tasker.step_state_rules}) and enforces it on every transition
 * insert; {@code TransitionsMatchDatabaseTest} fails when the two disagree.
 */
public final class Transitions<S extends Enum<S>> {
  public static final Transitions<TaskState> TASK = taskRules();
  public static final Transitions<StepState> STEP = stepRules();

  private final String machine;
  private final Map<S, Set<S>> allowed;

  private Transitions(String machine, Map<S, Set<S>> allowed) {
    this.machine = machine;
    this.allowed = allowed;
  }

  public boolean allows(S from, S to) {
    return allowed.getOrDefault(from, Set.of()).contains(to);
  }

  public Set<S> targets(S from) {
    return Collections.unmodifiableSet(allowed.getOrDefault(from, Set.of()));
  }

  /** Throws when the move is illegal; the message names both states. */
  public void check(S from, S to) {
    if (!allows(from, to)) {
      throw new TaskerException(
          "illegal_transition",
          "illegal " + machine + " transition " + wire(from) + " -> " + wire(to));
    }
  }

  private static String wire(Enum<?> s) {
    return s.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static Transitions<TaskState> taskRules() {
    Map<TaskState, Set<TaskState>> m = new EnumMap<>(TaskState.class);
    add(m, TaskState.PENDING, TaskState.INITIALIZING);
    add(
        m,
        TaskState.INITIALIZING,
        TaskState.ENQUEUING_STEPS,
        TaskState.COMPLETE,
        TaskState.WAITING_FOR_DEPENDENCIES,
        TaskState.ERROR);
    add(m, TaskState.ENQUEUING_STEPS, TaskState.STEPS_IN_PROCESS, TaskState.ERROR);
    add(m, TaskState.STEPS_IN_PROCESS, TaskState.EVALUATING_RESULTS, TaskState.WAITING_FOR_RETRY);
    add(
        m,
        TaskState.EVALUATING_RESULTS,
        TaskState.COMPLETE,
        TaskState.ENQUEUING_STEPS,
        TaskState.STEPS_IN_PROCESS,
        TaskState.WAITING_FOR_DEPENDENCIES,
        TaskState.WAITING_FOR_RETRY,
        TaskState.BLOCKED_BY_FAILURES,
        TaskState.ERROR);
    add(m, TaskState.WAITING_FOR_DEPENDENCIES, TaskState.EVALUATING_RESULTS);
    add(m, TaskState.WAITING_FOR_RETRY, TaskState.ENQUEUING_STEPS, TaskState.EVALUATING_RESULTS);
    add(
        m,
        TaskState.BLOCKED_BY_FAILURES,
        TaskState.ERROR,
        TaskState.RESOLVED_MANUALLY,
        TaskState.EVALUATING_RESULTS);
    add(
        m,
        TaskState.ERROR,
        TaskState.PENDING,
        TaskState.EVALUATING_RESULTS,
        TaskState.RESOLVED_MANUALLY);
    for (TaskState s : TaskState.values()) {
      if (!s.terminal()) {
        add(m, s, TaskState.CANCELLED, TaskState.ERROR); // cancel; staleness (DLQ sweep)
      }
    }
    return new Transitions<>("task", m);
  }

  private static Transitions<StepState> stepRules() {
    Map<StepState, Set<StepState>> m = new EnumMap<>(StepState.class);
    add(m, StepState.PENDING, StepState.ENQUEUED, StepState.IN_PROGRESS, StepState.ERROR);
    add(m, StepState.ENQUEUED, StepState.IN_PROGRESS, StepState.ERROR, StepState.PENDING);
    add(
        m,
        StepState.IN_PROGRESS,
        StepState.ENQUEUED_FOR_ORCHESTRATION,
        StepState.ENQUEUED_AS_ERROR_FOR_ORCHESTRATION,
        StepState.COMPLETE,
        StepState.ERROR,
        StepState.IN_PROGRESS);
    add(
        m,
        StepState.ENQUEUED_FOR_ORCHESTRATION,
        StepState.COMPLETE,
        StepState.IN_PROGRESS,
        StepState.ERROR);
    add(
        m,
        StepState.ENQUEUED_AS_ERROR_FOR_ORCHESTRATION,
        StepState.WAITING_FOR_RETRY,
        StepState.ERROR);
    add(m, StepState.WAITING_FOR_RETRY, StepState.PENDING, StepState.ENQUEUED);
    add(m, StepState.ERROR, StepState.PENDING, StepState.COMPLETE);
    for (StepState s : StepState.values()) {
      if (!s.terminal() || s == StepState.ERROR) {
        add(m, s, StepState.CANCELLED, StepState.RESOLVED_MANUALLY);
      }
    }
    return new Transitions<>("step", m);
  }

  private static void add(Map<TaskState, Set<TaskState>> m, TaskState from, TaskState... to) {
    m.computeIfAbsent(from, k -> EnumSet.noneOf(TaskState.class)).addAll(Set.of(to));
  }

  private static void add(Map<StepState, Set<StepState>> m, StepState from, StepState... to) {
    m.computeIfAbsent(from, k -> EnumSet.noneOf(StepState.class)).addAll(Set.of(to));
  }
}
