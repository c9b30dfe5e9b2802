package io.tasker.ffi;

import io.tasker.sql.Uuids;
import io.tasker.worker.DispatchAwareHandler;
import io.tasker.worker.StepContext;
import io.tasker.worker.StepDispatch;
import io.tasker.worker.StepResult;

/**
 * Stands in, inside the worker, for a handler the host runs: it turns the step into an event,
 * offers it to the {@link FfiDispatchChannel} and waits for the host's completion. The worker's
 * deadline interrupts the wait (the step then fails as retryable {@code timeout}).
 */
final class FfiStepHandler implements DispatchAwareHandler {
  private final String callable;
  private final FfiDispatchChannel channel;

  FfiStepHandler(String callable, FfiDispatchChannel channel) {
    this.callable = callable;
    this.channel = channel;
  }

  @Override
  public String handlerName() {
    return callable;
  }

  @Override
  public StepResult call(StepContext context, StepDispatch dispatch) throws InterruptedException {
    if (dispatch == null) {
      throw new IllegalArgumentException("the FFI handler runs only inside a worker");
    }
    String eventId = Uuids.v7().toString();
    return channel.dispatch(eventId, StepEvents.encode(eventId, context, dispatch));
  }
}
