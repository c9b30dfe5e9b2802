package io.tasker.peers.dbos;

import dev.dbos.transact.DBOS;
import dev.dbos.transact.workflow.Workflow;

/**
 * No-op steps, so the numbers are DBOS's. DBOS runs a workflow's steps one after another; parallel
 * work is child workflows started from the workflow (its documented way to fan out), so the
 * diamond's two middle steps are two child workflows of one step each, joined by waiting on their
 * handles. The children are started directly rather than through the queue: in DBOS 1.1.0-m6 a
 * queued workflow's handle waits for its result by reading the database once a second (a fixed
 * interval), which would put a second into every diamond; a directly started child's handle is
 * completed in-process.
 */
final class BenchWorkflowsImpl implements BenchWorkflows {
  private final DBOS dbos;
  private BenchWorkflows self;

  BenchWorkflowsImpl(DBOS dbos) {
    this.dbos = dbos;
  }

  /** The durable proxy, through which child workflows must be started. */
  void setSelf(BenchWorkflows proxy) {
    this.self = proxy;
  }

  @Override
  @Workflow(name = "linear")
  public String linear() {
    for (String step : new String[] {"s1", "s2", "s3", "s4"}) {
      dbos.runStep(() -> "ok", step);
    }
    return "done";
  }

  @Override
  @Workflow(name = "diamond")
  public String diamond() {
    dbos.runStep(() -> "ok", "start");
    var left = dbos.startWorkflow(() -> self.branch("left"));
    var right = dbos.startWorkflow(() -> self.branch("right"));
    try {
      left.getResult();
      right.getResult();
    } catch (Exception e) {
      throw new IllegalStateException("diamond branch failed: " + e.getMessage(), e);
    }
    dbos.runStep(() -> "ok", "join");
    return "done";
  }

  @Override
  @Workflow(name = "branch")
  public String branch(String name) {
    return dbos.runStep(() -> "ok", name);
  }
}
