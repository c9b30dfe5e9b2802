package io.tasker.orchestration;

import io.tasker.queue.MessageQueue;

/** The queues the engine uses (DESIGN.md §3). */
public final class Queues {
  /** Workers send step completions here; orchestrators consume them. */
  public static final String STEP_RESULTS = "orchestration_step_results";

  /** Task-level requests to orchestrators: evaluate a task (retry timers, operator actions). */
  public static final String TASK_REQUESTS = "orchestration_task_requests";

  private Queues() {}

  /** The queue of a namespace's workers. Namespaces have at most 34 characters, so this fits. */
  public static String worker(String namespace) {
    return "worker_" + namespace + "_queue";
  }

  public static void createOrchestrationQueues(MessageQueue q) {
    q.create(STEP_RESULTS);
    q.create(TASK_REQUESTS);
  }
}
