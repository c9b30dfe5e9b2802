package io.tasker.ffi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/** What {@code tasker_worker_start} runs: events for the host come through its channel. */
sealed interface HostWorker permits FfiWorker, LoopbackWorker {
  FfiDispatchChannel channel();

  /** {@code {"worker_id", "namespaces", "handlers", …}}. */
  ObjectNode describe();

  /** Stops producing events, gives open events {@code grace} to be completed, fails the rest. */
  void stop(Duration grace);
}
