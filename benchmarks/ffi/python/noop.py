"""The no-op handler of `tasker bench compare --tasker-ffi python`: the numbers are the engine's."""

from tasker_core import StepContext, StepHandler, StepHandlerResult


class Noop(StepHandler):
    handler_name = "bench.noop"

    def call(self, context: StepContext) -> StepHandlerResult:
        return self.success({"ok": True})
