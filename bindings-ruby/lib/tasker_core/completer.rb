# frozen_string_literal: true

module TaskerCore
  # Sends completions from one thread, in batches: it takes whatever has queued up since its last
  # call and sends it as one array to tasker_complete (checkpoints go one by one to
  # tasker_checkpoint). A completion the core rejects as invalid is replaced by a failure that
  # says why, so every event still gets exactly one completion.
  class Completer
    MAX_BATCH = 256

    attr_reader :sent, :rejected

    def initialize
      @queue = Thread::Queue.new
      @sent = 0
      @rejected = 0
      @thread = Thread.new { run }
      @thread.name = 'tasker-completer' if @thread.respond_to?(:name=)
    end

    # kind: :complete or :checkpoint; document: the ABI document.
    def push(kind, document)
      @queue.push([kind, document])
    rescue ClosedQueueError
      Runtime.log(:error, 'completion after the worker stopped; dropped', event_id: document['event_id'])
    end

    # Sends what is queued, then stops the thread.
    def close
      @queue.close
      @thread.join
    end

    private

    def run
      while (first = @queue.pop)
        batch = [first]
        batch << @queue.pop(true) while batch.size < MAX_BATCH && !@queue.empty?
        deliver(batch) # this thread is the only consumer, so pop(true) never finds it empty
      end
    end

    def deliver(batch)
      completions = batch.filter_map { |kind, doc| doc if kind == :complete }
      batch.each { |kind, doc| checkpoint(doc) if kind == :checkpoint }
      complete_batch(completions) unless completions.empty?
    rescue StandardError => e # this thread must outlive any bug: the events' deadlines fail them
      Runtime.log(:error, "completer: #{e.class}: #{e.message}", events: batch.map { |_, doc| doc['event_id'] })
    end

    def complete_batch(completions)
      answer = Native.call_json(:tasker_complete, completions)
      @sent += answer['completed'].to_i
      Array(answer['rejected']).each { |r| reject(r['event_id'], r['type'], r['message']) }
    rescue Errors::ValidationError => e
      # one invalid element stops the whole array: send them one by one so the rest apply
      Runtime.log(:warn, "batch of #{completions.size} completions rejected: #{e.message}; sending one by one")
      completions.each { |doc| complete_one(doc) }
    rescue Errors::TaskerError => e
      completions.each { |doc| reject(doc['event_id'], e.class.name, e.message) }
    end

    def complete_one(doc)
      Native.call_json(:tasker_complete, doc)
      @sent += 1
    rescue Errors::ValidationError => e
      replace_invalid(doc['event_id'], e)
    rescue Errors::TaskerError => e
      reject(doc['event_id'], e.class.name, e.message)
    end

    def checkpoint(doc)
      Native.call_json(:tasker_checkpoint, doc)
      @sent += 1
    rescue Errors::ValidationError => e
      replace_invalid(doc['event_id'], e)
    rescue Errors::TaskerError => e
      reject(doc['event_id'], e.class.name, e.message)
    end

    def replace_invalid(event_id, error)
      Runtime.log(:error, "the core rejected a completion: #{error.message}", event_id: event_id)
      _, failure = Outcome.abandoned(event_id, "completion rejected by the core: #{error.message}", 'invalid_result')
      failure['result']['error']['retryable'] = false
      Native.call_json(:tasker_complete, failure)
      @sent += 1
    rescue Errors::TaskerError => e
      reject(event_id, e.class.name, e.message)
    end

    def reject(event_id, type, message)
      @rejected += 1
      Runtime.log(:warn, "completion not applied (#{type}): #{message}", event_id: event_id)
    end
  end
end
