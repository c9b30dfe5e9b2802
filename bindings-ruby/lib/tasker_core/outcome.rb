# frozen_string_literal: true

module TaskerCore
  # Runs one handler for one event and turns whatever happens (a result, a Hash, garbage, a
  # raised error, a missing handler) into exactly one completion document of docs/abi.md:
  # [:complete, {"event_id", "result"}] or [:checkpoint, {"event_id", "cursor", …}].
  module Outcome
    BACKTRACE_LINES = 20

    module_function

    def run(registry, event)
      started = monotonic
      handler_class = registry.find(event['callable'])
      unless handler_class
        return failed(event, started, "no Ruby handler for callable '#{event['callable']}' in this worker",
                      'handler_not_found', retryable: false)
      end

      returned = handler_class.new.call(StepContext.new(event))
      from_return(event, started, returned, handler_class)
    rescue Errors::PermanentError => e
      failed(event, started, e.message, e.error_type, retryable: false, error: e, context: e.context)
    rescue Errors::RetryableError => e
      failed(event, started, e.message, e.error_type, retryable: true, error: e, context: e.context,
                                                      retry_after: e.retry_after)
    rescue Exception => e # rubocop:disable Lint/RescueException -- no handler error may escape the worker
      failed(event, started, e.message.empty? ? e.class.name : e.message, e.class.name || 'Exception',
             retryable: true, error: e)
    end

    # The completion sent for an event the worker gives up on (shutdown, …).
    def abandoned(event_id, message, error_type)
      [:complete, { 'event_id' => event_id,
                    'result' => failure_body(message, error_type, retryable: true) }]
    end

    def from_return(event, started, returned, handler_class)
      case returned
      when StepHandler::Results::Success
        succeeded(event, started, returned.result, returned.metadata)
      when StepHandler::Results::Failure
        failed(event, started, returned.message.to_s, returned.error_type.to_s, retryable: returned.retryable ? true : false,
                                                                                retry_after: returned.retry_after,
                                                                                status_code: returned.status_code,
                                                                                context: returned.context)
      when StepHandler::Results::CheckpointYield
        checkpoint(event, started, returned)
      when Hash
        succeeded(event, started, returned, {})
      else
        failed(event, started,
               "handler #{handler_class.name} returned #{returned.class} (#{returned.inspect[0, 80]}); " \
               'expected success(result: {...}), failure(...), checkpoint_yield(...) or a Hash',
               'invalid_result', retryable: false)
      end
    end

    def checkpoint(event, started, yielded)
      [:checkpoint, { 'event_id' => event['event_id'], 'cursor' => json_safe(yielded.cursor),
                      'items_processed' => Integer(yielded.items_processed),
                      'accumulated_results' => json_safe(yielded.accumulated_results) }]
    rescue JSON::GeneratorError, TypeError, ArgumentError => e
      failed(event, started, "checkpoint is not JSON: #{e.message}", 'invalid_result', retryable: false)
    end

    def succeeded(event, started, result, metadata)
      body = { 'success' => true, 'status' => 'completed', 'result' => json_safe(result),
               'metadata' => json_safe(metadata || {}).merge('execution_time_ms' => elapsed_ms(started)) }
      [:complete, { 'event_id' => event['event_id'], 'result' => body }]
    rescue JSON::GeneratorError, TypeError, ArgumentError => e
      failed(event, started, "handler result is not JSON: #{e.message}", 'invalid_result', retryable: false)
    end

    def failed(event, started, message, error_type, retryable:, error: nil, retry_after: nil, status_code: nil,
               context: nil)
      body = failure_body(message, error_type, retryable: retryable)
      body['error']['backtrace'] = error.backtrace.first(BACKTRACE_LINES) if error&.backtrace
      body['error']['status_code'] = Integer(status_code) if status_code
      body['error']['context'] = json_safe(context) if context.is_a?(Hash)
      if retry_after
        delay = retry_after.is_a?(Integer) ? retry_after : Float(retry_after)
        body['backoff_hint'] = { 'delay_seconds' => delay, 'reason' => message.to_s }
      end
      body['metadata'] = { 'execution_time_ms' => elapsed_ms(started) }
      [:complete, { 'event_id' => event['event_id'], 'result' => body }]
    end

    def failure_body(message, error_type, retryable:)
      { 'success' => false, 'status' => 'failed', 'result' => nil,
        'error' => { 'message' => message.to_s, 'error_type' => error_type.to_s, 'retryable' => retryable } }
    end

    # Round-trips through JSON so unserialisable values fail here, inside the handler's outcome.
    def json_safe(value)
      JSON.parse(JSON.generate(value))
    end

    def elapsed_ms(started)
      ((monotonic - started) * 1000).round(3)
    end

    def monotonic
      Process.clock_gettime(Process::CLOCK_MONOTONIC)
    end
  end
end
