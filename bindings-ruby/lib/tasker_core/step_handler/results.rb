# frozen_string_literal: true

module TaskerCore
  module StepHandler
    # What a handler returns (the sealed set of outcomes): build them with Base#success,
    # Base#failure and Base#checkpoint_yield.
    module Results
      Success = Struct.new(:result, :metadata, keyword_init: true)
      Failure = Struct.new(:message, :error_type, :retryable, :retry_after, :status_code, :context,
                           :metadata, keyword_init: true)
      CheckpointYield = Struct.new(:cursor, :items_processed, :accumulated_results, keyword_init: true)
    end
  end
end
