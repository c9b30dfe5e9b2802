package io.tasker.worker;

/**
 * A {@link StepHandler} that also receives the {@link StepDispatch} details. The worker calls
 * {@link #call(StepContext, StepDispatch)}; the one-argument {@link #call(StepContext)} is there
 * for direct callers and passes no details.
 */
public interface DispatchAwareHandler extends StepHandler {
  StepResult call(StepContext context, StepDispatch dispatch) throws Exception;

  @Override
  default StepResult call(StepContext context) throws Exception {
    return call(context, null);
  }
}
