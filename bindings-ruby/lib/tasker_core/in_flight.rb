# frozen_string_literal: true

module TaskerCore
  # The events this worker has polled and not yet completed. Its capacity is the worker's
  # concurrency, so a poll asks for exactly the free slots; #finish hands each event's completion
  # right to exactly one party (the handler, or shutdown when it gives up on the event).
  class InFlight
    def initialize(capacity)
      @capacity = capacity
      @events = {}
      @mutex = Mutex.new
      @changed = ConditionVariable.new
    end

    def size
      @mutex.synchronize { @events.size }
    end

    # Free slots, waiting up to `timeout` seconds for one when all are taken.
    def wait_for_slots(timeout)
      @mutex.synchronize do
        @changed.wait(@mutex, timeout) if @events.size >= @capacity
        @capacity - @events.size
      end
    end

    def add(event_id)
      @mutex.synchronize { @events[event_id] = true }
    end

    # True (once) when the event was in flight: the caller now owns its completion.
    def finish(event_id)
      @mutex.synchronize do
        removed = @events.delete(event_id)
        @changed.broadcast
        removed ? true : false
      end
    end

    # Waits until nothing is in flight, the deadline (monotonic seconds) passes, or the block
    # returns true; returns true when nothing is left.
    def wait_until_empty(deadline)
      @mutex.synchronize do
        until @events.empty?
          left = deadline - Process.clock_gettime(Process::CLOCK_MONOTONIC)
          break if left <= 0 || (block_given? && yield)

          @changed.wait(@mutex, [left, 0.1].min)
        end
        @events.empty?
      end
    end

    # Takes every event still in flight (their completions now belong to the caller).
    def take_all
      @mutex.synchronize do
        ids = @events.keys
        @events.clear
        @changed.broadcast
        ids
      end
    end
  end
end
