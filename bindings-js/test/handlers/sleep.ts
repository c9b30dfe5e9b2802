import { StepHandler, type StepContext, type StepHandlerResult } from "../../src/index.js";

/** Sleeps `context.sleep_ms`, then succeeds: a long handler for the shutdown tests. */
export class Sleep extends StepHandler {
  static override handlerName = "test.sleep";

  async call(ctx: StepContext): Promise<StepHandlerResult> {
    const ms = Number(ctx.getInput("sleep_ms") ?? 0);
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.success({ slept_ms: ms });
  }
}

/** Leaves a rejected promise nobody awaits, then succeeds: the worker must survive it. */
export class StrayRejection extends StepHandler {
  static override handlerName = "test.stray_rejection";

  call(): StepHandlerResult {
    void Promise.reject(new Error("nobody handles this"));
    return this.success({ survived: true });
  }
}
