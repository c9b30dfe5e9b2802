# frozen_string_literal: true

require_relative 'big_values'

module Conformance
  # Splits item_count items into cursor ranges of batch_size, one per batch worker.
  class PlanBatchesHandler < TaskerCore::StepHandler::Base
    handler_name 'conformance.plan_batches'

    def call(context)
      count = BigValues.read(context.get_input('item_count'), 'item_count')
      size = BigValues.read(context.get_input('batch_size'), 'batch_size')
      if count.negative? || size < 1
        raise TaskerCore::Errors::PermanentError.new(
          "need item_count >= 0 and batch_size >= 1, got #{count} and #{size}", error_type: 'validation_error'
        )
      end
      return no_batches if count.zero?

      # (0...count).step(size) with an index trips a JRuby 10.0 bug (ArithmeticSequence cast)
      configs = Array.new((count + size - 1) / size) do |i|
        start = i * size
        stop = [start + size, count].min
        { batch_id: format('%03d', i + 1), start_cursor: start, end_cursor: stop, batch_size: stop - start }
      end
      create_batches(worker_template_name: 'sum_batch', cursor_configs: configs, total_items: count)
    end
  end

  # Sums the integers in [start_cursor, end_cursor), yielding a checkpoint every
  # initialization.checkpoint_every items; resumes from the checkpoint it is given.
  class SumBatchHandler < TaskerCore::StepHandler::Base
    handler_name 'conformance.sum_batch'

    def call(context)
      range = context.step_inputs
      start = BigValues.read(range['start_cursor'], 'start_cursor')
      stop = BigValues.read(range['end_cursor'], 'end_cursor')
      every = context.get_config('checkpoint_every').to_i
      every = stop - start if every <= 0

      cursor, processed, sum = resume(context, start)
      if start > stop || cursor < start || cursor > stop
        raise TaskerCore::Errors::PermanentError.new("bad cursor #{cursor} for range [#{start}, #{stop})",
                                                     error_type: 'validation_error')
      end

      upto = [cursor + every, stop].min
      sum += (cursor...upto).sum
      processed += upto - cursor
      partial = { 'sum' => BigValues.write(sum) }
      if upto < stop
        return checkpoint_yield(cursor: upto, items_processed: processed, accumulated_results: partial)
      end

      success(result: partial.merge('items' => stop - start))
    end

    private

    def resume(context, start)
      checkpoint = context.checkpoint
      return [start, 0, 0] unless checkpoint

      [BigValues.read(checkpoint.cursor, 'checkpoint cursor'), checkpoint.items_processed,
       BigValues.read((checkpoint.accumulated_results || {})['sum'], 'checkpoint sum')]
    end
  end

  # Adds up the batch workers' partial sums; with no batches there are no parents and all is 0.
  class TotalHandler < TaskerCore::StepHandler::Base
    handler_name 'conformance.total'

    def call(context)
      workers = context.dependency_results.select { |_, r| r.is_a?(Hash) && r.key?('sum') }
      sum = workers.sum { |name, r| BigValues.read(r['sum'], "#{name}.sum") }
      items = workers.sum { |name, r| BigValues.read(r['items'], "#{name}.items") }
      success(result: { sum: BigValues.write(sum), items: items, batches: workers.size })
    end
  end
end
