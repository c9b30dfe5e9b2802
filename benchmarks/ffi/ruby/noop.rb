# frozen_string_literal: true

# The no-op handler of `tasker bench compare --tasker-ffi ruby`: the numbers are the engine's.
class BenchNoopHandler < TaskerCore::StepHandler::Base
  handler_name 'bench.noop'

  def call(_context)
    success(result: { ok: true })
  end
end
