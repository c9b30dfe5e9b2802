# frozen_string_literal: true

module TaskerCore
  # The core inside this process: tasker_init once (it boots a JVM, or attaches to the one JRuby
  # runs in), tasker_shutdown at the end. Both are idempotent here as in the ABI.
  module Runtime
    LOG_LEVELS = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 }.freeze

    @mutex = Mutex.new
    @info = nil
    @shut_down = false

    class << self
      # Initialises the core; returns {"attached", "java_version", "abi_version"}. Options are the
      # tasker_init keys (docs/abi.md); classpath and aot_cache default to the packaged files,
      # database_url to DATABASE_URL (one process serves one database).
      def init(**options)
        @mutex.synchronize do
          return @info if @info
          raise Errors::NotInitializedError.new('the core was shut down in this process', code: -2) if @shut_down

          Native.load!
          @info = Native.call_json(:tasker_init, init_config(options))
          restore_sigchld
          at_exit { shutdown }
          @info
        end
      end

      def initialized?
        !@info.nil? && !@shut_down
      end

      # Stops the worker (if any) and the core; safe to call more than once.
      def shutdown
        @mutex.synchronize do
          return false if @info.nil? || @shut_down

          @shut_down = true
          status = Native::Lib.tasker_shutdown
          status.zero? || status == -2
        end
      end

      # Writes one record through the core's log stream (one log per worker process). The logger
      # sits under io.tasker so TASKER_LOG_LEVEL governs it like the core's own (root is WARN).
      def log(level, message, logger: 'io.tasker.rb.worker', **fields)
        payload = { 'message' => message.to_s, 'logger' => logger }
        payload['fields'] = fields.transform_keys(&:to_s) unless fields.empty?
        if initialized?
          Native.log(LOG_LEVELS.fetch(level, 2), payload)
        else
          warn("[#{level}] #{logger}: #{message}#{fields.empty? ? '' : " #{fields}"}")
        end
      rescue StandardError => e
        warn("[#{level}] #{logger}: #{message} (core log failed: #{e.message})")
      end

      private

      # Booting the JVM leaves SIGCHLD at SIG_DFL, and CRuby's Process.wait in a thread (Open3,
      # Process.detach) waits for that signal forever. Re-trapping reinstalls Ruby's handler and
      # keeps a trap the application set.
      def restore_sigchld
        return unless RUBY_ENGINE == 'ruby' && !@info['attached']

        previous = trap('CHLD', 'DEFAULT')
        trap('CHLD', previous) if previous.is_a?(Proc)
      end

      def init_config(options)
        config = options.transform_keys(&:to_s)
        config['classpath'] ||= Native.find_classpath
        config.delete('classpath') if config['classpath'].empty?
        aot = Native.find_aot_cache
        config['aot_cache'] ||= aot if aot
        config['log_level'] ||= ENV['TASKER_LOG_LEVEL'] if ENV['TASKER_LOG_LEVEL']
        # Ruby's ENV, which inside JRuby is not the JVM's environment the core would read
        config['database_url'] ||= ENV['DATABASE_URL'] unless ENV.fetch('DATABASE_URL', '').empty?
        config
      end
    end
  end
end
