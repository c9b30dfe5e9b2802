# frozen_string_literal: true

# Handlers of the specs' own templates (spec/fixtures/templates): bad behaviour of every kind, and
# a handler that reads its context through every accessor.
module Specs
  class RaisingHandler < TaskerCore::StepHandler::Base
    handler_name 'rb_bad_input.raising'

    def call(_context)
      raise KeyError, 'no such key: widget'
    end
  end

  class GarbageHandler < TaskerCore::StepHandler::Base
    handler_name 'rb_bad_input.garbage'

    def call(_context)
      'this is not a result'
    end
  end

  class NotJsonHandler < TaskerCore::StepHandler::Base
    handler_name 'rb_bad_input.not_json'

    def call(_context)
      success(result: { ratio: Float::NAN })
    end
  end

  # Registered by class name only.
  class EchoHandler < TaskerCore::StepHandler::Base
    def call(context)
      success(result: { greeting: context.get_config('greeting'), who: context.get_input('who'),
                        step: context.step_name, task_uuid: context.task_uuid, retry_count: context.retry_count })
    end
  end

  class RetryLaterHandler < TaskerCore::StepHandler::Base
    handler_name 'rb_bad_input.retry_later'

    def call(context)
      raise TaskerCore::Errors::RetryableError.new('come back soon', retry_after: 1) if context.retry_count.zero?

      success(result: { parent: context.get_dependency_result('first'), attempts: context.attempts })
    end
  end
end
