# frozen_string_literal: true

require_relative 'big_values'

module Conformance
  # Squares the task-context value named by initialization.input_key.
  class SquareInputHandler < TaskerCore::StepHandler::Base
    handler_name 'conformance.square_input'

    def call(context)
      key = context.get_config('input_key')
      raise TaskerCore::Errors::PermanentError, 'initialization.input_key is required' if key.to_s.empty?

      n = BigValues.read(context.get_input(key), key)
      success(result: { value: BigValues.write(n**2) })
    end
  end

  # Multiplies the value of every parent's result and squares the product.
  class SquareParentsHandler < TaskerCore::StepHandler::Base
    handler_name 'conformance.square_parents'

    def call(context)
      parents = context.dependency_results
      raise TaskerCore::Errors::PermanentError, 'square_parents needs at least one parent step' if parents.empty?

      product = parents.reduce(1) { |acc, (name, result)| acc * BigValues.read(result['value'], name) }
      success(result: { value: BigValues.write(product**2) })
    end
  end
end
