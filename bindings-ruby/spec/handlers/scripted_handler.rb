# frozen_string_literal: true

module Conformance
  # Fails in the way context.mode asks, to exercise retries, errors and timeouts.
  class ScriptedHandler < TaskerCore::StepHandler::Base
    handler_name 'conformance.scripted'

    def call(context)
      mode = context.get_input('mode')
      case mode
      when 'succeed_on_third_attempt'
        return failure(message: 'not yet', error_type: 'transient', retryable: true) if context.retry_count < 2

        success(result: { value: 3 })
      when 'permanent_failure' then raise TaskerCore::Errors::PermanentError, 'scripted permanent failure'
      when 'always_retryable' then failure(message: 'scripted retryable failure', error_type: 'transient', retryable: true)
      when 'raise_exception' then raise 'scripted exception'
      when 'sleep_past_timeout'
        sleep 5 # the step's timeout_seconds is 2: the core gives up first
        success(result: { value: 3 })
      else raise TaskerCore::Errors::PermanentError, "unknown mode '#{mode}'"
      end
    end
  end
end
