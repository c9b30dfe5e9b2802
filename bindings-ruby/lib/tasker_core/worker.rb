# frozen_string_literal: true

module TaskerCore
  # The worker loop. One poller thread pulls step events (tasker_poll, GVL released, max = free
  # slots, short timeout so it notices a stop quickly); `concurrency` handler threads run them; a
  # Completer sends the completions in batches. The main thread only waits for INT/TERM, so a
  # signal is never lost inside a foreign call.
  class Worker
    POLL_TIMEOUT_MS = 100
    SHUTDOWN_ERROR_TYPE = 'worker_shutdown'

    attr_reader :registry, :info

    # registry: a Registry; namespaces: served namespaces (templates_dir adds its own);
    # grace_seconds: how long a stop waits for handlers in flight before failing them;
    # with_orchestrator: also run an orchestrator in this process (retries need one somewhere).
    def initialize(registry:, namespaces: [], templates_dir: nil, concurrency: 8, grace_seconds: 10,
                   database_url: nil, default_timeout_seconds: nil, poll_timeout_ms: POLL_TIMEOUT_MS,
                   with_orchestrator: false, init_options: {})
      raise Errors::ConfigurationError, "concurrency must be 1..1000, got #{concurrency}" unless (1..1000).cover?(concurrency)
      raise Errors::ConfigurationError, 'no handlers registered' if registry.empty?

      @registry = registry
      @concurrency = concurrency
      @grace_seconds = grace_seconds
      @poll_timeout_ms = poll_timeout_ms
      @init_options = database_url ? { database_url: database_url }.merge(init_options) : init_options
      @start_config = {
        'namespaces' => served_namespaces(namespaces, templates_dir), 'handlers' => registry.callables,
        'templates_dir' => templates_dir && File.expand_path(templates_dir), 'concurrency' => concurrency,
        'database_url' => database_url, 'default_timeout_seconds' => default_timeout_seconds,
        'with_orchestrator' => (true if with_orchestrator)
      }.reject { |_, v| v.nil? }
      @state = :new
      @lifecycle = Mutex.new
      @force = false
    end

    # Starts the core's worker and this process's threads; returns the worker document.
    def start
      @lifecycle.synchronize do
        raise Errors::ConfigurationError, "worker already #{@state}" unless @state == :new

        Runtime.init(**@init_options)
        @info = Native.call_json(:tasker_worker_start, @start_config)
        @in_flight = InFlight.new(@concurrency)
        @work = Thread::Queue.new
        @completer = Completer.new
        @state = :running
        @handler_threads = Array.new(@concurrency) { |i| spawn("tasker-handler-#{i}") { run_handlers } }
        @poller = spawn('tasker-poller') { poll_loop }
        Runtime.log(:info, "ruby worker started: #{@concurrency} handler threads",
                    worker_id: @info['worker_id'], namespaces: @info['namespaces'], handlers: @registry.callables)
        @info
      end
    end

    def running?
      @state == :running
    end

    # True when polling ended because the core's worker went away (not because of a stop).
    def failed?
      @failed == true
    end

    # Runs until INT or TERM, then stops gracefully. A second signal cuts the grace short.
    def run
      start if @state == :new
      reader, writer = IO.pipe
      previous = %w[INT TERM].to_h do |sig|
        [sig, trap(sig) { writer.write_nonblock(sig[0]) rescue nil }] # rubocop:disable Style/RescueModifier
      end
      @failure_wakeup = -> { writer.write_nonblock('F') rescue nil } # rubocop:disable Style/RescueModifier
      signal = { 'I' => 'SIGINT', 'T' => 'SIGTERM', 'F' => 'the end of polling' }.fetch(reader.read(1))
      Runtime.log(:info, "received #{signal}; stopping (grace #{@grace_seconds} s)")
      stopper = Thread.new { stop }
      until stopper.join(0.1)
        next unless IO.select([reader], nil, nil, 0)

        reader.read_nonblock(16, exception: false)
        @force = true
      end
    ensure
      previous&.each { |sig, handler| trap(sig, handler || 'DEFAULT') }
      [reader, writer].each { |io| io&.close }
    end

    # Stop polling → let handlers in flight finish (up to grace_seconds) → fail what remains →
    # tasker_worker_stop. Idempotent.
    def stop(grace_seconds: @grace_seconds)
      @lifecycle.synchronize do
        return false unless @state == :running

        @state = :stopping
        @poller.join
        deadline = monotonic + grace_seconds
        @in_flight.wait_until_empty(deadline) { @force }
        abandon_in_flight
        @work.close
        @completer.close
        @handler_threads.each { |t| t.kill unless t.join(0.05) }
        Native.call(:tasker_worker_stop, 1000)
        @state = :stopped
        Runtime.log(:info, "ruby worker stopped: #{@completer.sent} completions sent, #{@completer.rejected} rejected")
        true
      end
    end

    private

    # The core serves only the listed namespaces when there are any, so the templates' own
    # namespaces are added here: --templates serves its namespaces, --namespace adds more.
    def served_namespaces(namespaces, templates_dir)
      listed = Array(namespaces).map(&:to_s)
      return listed if listed.empty? || templates_dir.nil?

      files = Dir.glob(File.join(File.expand_path(templates_dir), '**', '*.{yaml,yml}'))
      from_templates = files.filter_map do |file|
        document = YAML.safe_load(File.read(file))
        document['namespace_name'] if document.is_a?(Hash)
      rescue Psych::Exception, SystemCallError
        nil # the core reports the file when it registers it
      end
      (listed + from_templates).uniq.sort
    end

    def poll_loop
      while @state == :running
        free = @in_flight.wait_for_slots(@poll_timeout_ms / 1000.0)
        next if free <= 0 || @state != :running

        poll_once(free)
      end
    rescue Errors::NotRunningError, Errors::NotInitializedError => e
      Runtime.log(:error, "polling stopped: the core's worker is gone (#{e.message})")
      @failed = true
      @failure_wakeup&.call
    end

    def poll_once(free)
      Native.call(:tasker_poll, [free, 1000].min, @poll_timeout_ms).each do |event|
        @in_flight.add(event['event_id'])
        @work.push(event)
      end
    rescue Errors::UnavailableError, Errors::InternalError => e
      Runtime.log(:warn, "poll failed (#{e.class.name}: #{e.message}); retrying in 1 s")
      sleep 1
    end

    def run_handlers
      while (event = @work.pop)
        kind, document = Outcome.run(@registry, event)
        @completer.push(kind, document) if @in_flight.finish(event['event_id'])
      end
    end

    def abandon_in_flight
      @in_flight.take_all.each do |event_id|
        Runtime.log(:warn, 'handler still running at shutdown; failing its event as retryable', event_id: event_id)
        @completer.push(*Outcome.abandoned(event_id, 'worker shut down before the handler finished',
                                           SHUTDOWN_ERROR_TYPE))
      end
    end

    def spawn(name, &block)
      Thread.new(&block).tap do |t|
        t.name = name
        t.report_on_exception = true
      end
    end

    def monotonic
      Process.clock_gettime(Process::CLOCK_MONOTONIC)
    end
  end
end
