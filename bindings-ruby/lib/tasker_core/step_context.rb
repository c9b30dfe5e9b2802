# frozen_string_literal: true

module TaskerCore
  # What a handler sees of one step event (docs/abi.md#step-event). Keys may be given as strings
  # or symbols.
  class StepContext
    # A checkpoint a previous invocation of this step yielded.
    Checkpoint = Struct.new(:cursor, :items_processed, :accumulated_results, keyword_init: true)

    attr_reader :event

    def initialize(event)
      @event = event
    end

    def event_id = @event['event_id']
    def task_uuid = @event['task_uuid']
    def step_uuid = @event['step_uuid']
    def correlation_id = @event['correlation_id']
    def namespace = @event['namespace']
    def task_name = @event['task_name']
    def task_version = @event['task_version']
    def step_name = @event['step_name']
    def callable = @event['callable']
    def attempts = @event['attempts'].to_i
    def max_attempts = @event['max_attempts'].to_i
    def retry_count = @event['retry_count'].to_i
    def trace_id = @event['trace_id']
    def span_id = @event['span_id']

    def task_context = @event['task_context'] || {}
    def initialization = @event['initialization'] || {}
    # Parent step name → that parent's result (only parents that exist).
    def dependency_results = @event['dependency_results'] || {}
    # The step's own inputs (a batch worker's batch_id, start_cursor, end_cursor, batch_size).
    def step_inputs = @event['step_inputs'] || {}

    # A value of the task's context.
    def get_input(key) = task_context[key.to_s]

    # The result of the parent step `step_name` (nil if it did not run or does not exist).
    def get_dependency_result(step_name) = dependency_results[step_name.to_s]

    # A value of the step's handler.initialization.
    def get_config(key) = initialization[key.to_s]

    # The checkpoint to resume from, or nil.
    def checkpoint
      raw = @event['checkpoint']
      return nil unless raw.is_a?(Hash)

      Checkpoint.new(cursor: raw['cursor'], items_processed: raw['items_processed'].to_i,
                     accumulated_results: raw['accumulated_results'])
    end

    # Seconds left before the core fails this event as a timeout (nil if it has no deadline).
    def remaining_seconds
      deadline = @event['deadline_unix_ms']
      deadline && ((deadline - (Time.now.to_f * 1000)) / 1000.0)
    end
  end
end
