# frozen_string_literal: true

module Bench
  class Noop < TaskerCore::StepHandler::Base
    handler_name 'rb_bench.noop'

    def call(_context)
      success(result: {})
    end
  end
end
