// The no-op handler of `tasker bench compare --tasker-ffi typescript`: the numbers are the engine's.
// Imports the in-repo build of tasker-core-ts (bindings-js/dist), as the benchmark runs from the repo.
import { StepHandler } from "../../../bindings-js/dist/index.js";

export class Noop extends StepHandler {
  static handlerName = "bench.noop";

  call() {
    return this.success({ ok: true });
  }
}
