# frozen_string_literal: true

module TaskerCore
  module Errors
    # Base of every error the core reports through the C ABI (docs/abi.md#status-codes).
    class TaskerError < StandardError
      attr_reader :code, :type, :path, :details

      def initialize(message, code: nil, type: nil, path: nil, details: nil)
        super(message)
        @code = code
        @type = type
        @path = path
        @details = details
      end
    end

    class ValidationError < TaskerError; end
    class NotInitializedError < TaskerError; end
    class NotRunningError < TaskerError; end
    class UnknownEventError < TaskerError; end
    class EventExpiredError < TaskerError; end
    class AlreadyCompletedError < TaskerError; end
    class JvmError < TaskerError; end
    class NotFoundError < TaskerError; end
    class ConflictError < TaskerError; end
    class UnavailableError < TaskerError; end
    class TimeoutError < TaskerError; end
    class InternalError < TaskerError; end

    # The gem could not find or load libtasker.so, or it speaks another ABI version.
    class LibraryError < TaskerError; end
    # A handler directory, handler class or worker option is unusable.
    class ConfigurationError < TaskerError; end

    BY_CODE = {
      -1 => ValidationError, -2 => NotInitializedError, -3 => NotRunningError,
      -4 => UnknownEventError, -5 => EventExpiredError, -6 => AlreadyCompletedError,
      -7 => JvmError, -8 => NotFoundError, -9 => ConflictError, -10 => UnavailableError,
      -11 => TimeoutError, -99 => InternalError
    }.freeze

    # The exception for a non-zero status and the error document the call left in its buffer.
    def self.from_status(status, document, call)
      error = document.is_a?(Hash) && document['error'].is_a?(Hash) ? document['error'] : {}
      klass = BY_CODE.fetch(status, InternalError)
      message = error['message'] || "#{call} returned status #{status}"
      message = "#{message} (at #{error['path']})" if error['path'] && !message.include?(error['path'].to_s)
      klass.new(message, code: status, type: error['type'], path: error['path'], details: error['errors'])
    end

    # Raised by a handler: the step fails without further attempts.
    class PermanentError < StandardError
      attr_reader :error_type, :context

      def initialize(message = 'permanent failure', error_type: 'permanent_error', context: nil)
        super(message)
        @error_type = error_type
        @context = context
      end
    end

    # Raised by a handler: this attempt failed; try again, after retry_after seconds when given.
    class RetryableError < StandardError
      attr_reader :error_type, :retry_after, :context

      def initialize(message = 'retryable failure', retry_after: nil, error_type: 'retryable_error', context: nil)
        super(message)
        @retry_after = retry_after
        @error_type = error_type
        @context = context
      end
    end
  end
end
