# frozen_string_literal: true

module TaskerCore
  module StepHandler
    # Subclass it and implement #call(context). The worker registers a subclass under its class
    # name and, when set, its handler_name (the template's handler.callable).
    class Base
      class << self
        # Sets (with an argument) or reads the callable this handler answers to.
        def handler_name(name = nil)
          @handler_name = name.to_s if name
          @handler_name
        end

        # Every subclass loaded so far, in load order.
        def descendants
          Base.instance_variable_get(:@descendants) || []
        end

        # The file that defined this class (the worker registers the classes of its --handlers DIR).
        attr_reader :source_file

        def inherited(subclass)
          super
          subclass.instance_variable_set(:@source_file, caller_locations(1, 1).first&.absolute_path)
          list = Base.instance_variable_get(:@descendants) || Base.instance_variable_set(:@descendants, [])
          list << subclass
        end
      end

      def call(_context)
        raise NotImplementedError, "#{self.class.name || 'handler'} must implement #call(context)"
      end

      def success(result: {}, metadata: {})
        Results::Success.new(result: result, metadata: metadata)
      end

      # A failed attempt. retryable is authoritative; retry_after (seconds) overrides the backoff.
      def failure(message:, error_type: 'handler_error', retryable: false, retry_after: nil,
                  status_code: nil, context: nil, metadata: {})
        Results::Failure.new(message: message, error_type: error_type, retryable: retryable,
                             retry_after: retry_after, status_code: status_code, context: context,
                             metadata: metadata)
      end

      # Store a checkpoint and run this step again, resuming from it (same attempt).
      def checkpoint_yield(cursor:, items_processed:, accumulated_results: nil)
        Results::CheckpointYield.new(cursor: cursor, items_processed: items_processed,
                                     accumulated_results: accumulated_results)
      end

      # A decision step's outcome: create these downstream steps (none → no_branches).
      def decision_success(step_names:, result: {})
        names = Array(step_names).map(&:to_s)
        outcome = names.empty? ? { 'type' => 'no_branches' } : { 'type' => 'create_steps', 'step_names' => names }
        success(result: stringify(result).merge('decision_point_outcome' => outcome))
      end

      # A batchable step's outcome: one worker per cursor config, made from worker_template_name.
      def create_batches(worker_template_name:, cursor_configs:, total_items:, result: {})
        configs = cursor_configs.map { |c| stringify(c) }
        outcome = { 'type' => 'create_batches', 'worker_template_name' => worker_template_name.to_s,
                    'worker_count' => configs.size, 'cursor_configs' => configs, 'total_items' => total_items }
        success(result: stringify(result).merge('batch_processing_outcome' => outcome))
      end

      # A batchable step's outcome when there is nothing to process.
      def no_batches(result: {})
        success(result: stringify(result).merge('batch_processing_outcome' => { 'type' => 'no_batches' }))
      end

      private

      def stringify(hash)
        hash.to_h.transform_keys(&:to_s)
      end
    end
  end
end
