# frozen_string_literal: true

module Conformance
  # Integers as the conformance workflows pass them: a JSON number while |n| ≤ 2^53−1, else a
  # decimal string. Ruby's Integer is arbitrary-precision, so only the reading and writing differ.
  module BigValues
    MAX_SAFE = (2**53) - 1

    module_function

    def read(value, what)
      case value
      when Integer then value
      when Float
        return value.to_i if value.finite? && value == value.floor

        invalid(value, what)
      when String
        value.strip.match?(/\A[-+]?\d+\z/) ? Integer(value.strip, 10) : invalid(value, what)
      else invalid(value, what)
      end
    end

    def write(n)
      n.abs <= MAX_SAFE ? n : n.to_s
    end

    def invalid(value, what)
      raise TaskerCore::Errors::PermanentError.new("#{what} must be an integer, got #{value.inspect}",
                                                   error_type: 'validation_error')
    end
  end
end
