# frozen_string_literal: true

require 'timeout'
require 'tmpdir'

# A worker serving the conformance templates (and the specs' own) with the Ruby handlers of
# spec/handlers: on CRuby the real `tasker-rb worker` executable in a child process; on JRuby (in
# the JVM, where a child would be a second JVM) TaskerCore::Worker in this process.
module WorkerProcess
  EXTRA_NAMESPACES = %w[rb_bad_input].freeze
  SPEC_TEMPLATES = File.join(TestEnv::ROOT, 'spec', 'fixtures', 'templates')

  class << self
    attr_reader :log_path

    def ensure_started(client)
      return if @started

      register_templates(client)
      RUBY_ENGINE == 'jruby' ? start_in_process : start_child
      @started = true
      at_exit { stop }
    end

    # Registers every template the shared worker serves, so tasks can be created at once.
    def register_templates(client)
      Dir[File.join(TestEnv.templates_dir, '*.yaml'), File.join(SPEC_TEMPLATES, 'rb_bad_input', '*.yaml')].sort.each do |f|
        client.register_template(File.read(f))
      end
    end

    def stop
      if @pid
        Process.kill('TERM', @pid)
        Timeout.timeout(30) { Process.wait(@pid) }
        @pid = nil
      elsif @worker
        @worker.stop(grace_seconds: 2)
        @worker = nil
      end
    rescue Errno::ESRCH, Errno::ECHILD
      @pid = nil
    end

    # Starts `tasker-rb worker` with these arguments; returns [pid, log path].
    def spawn_cli(*args, log_name:)
      log = File.join(Dir.tmpdir, "tasker-rb-#{log_name}-#{Process.pid}.log")
      pid = Process.spawn(RbConfig.ruby, TestEnv::EXECUTABLE, 'worker', *args, out: log, err: log)
      [pid, log]
    end

    private

    def start_child
      @pid, @log_path = spawn_cli('--templates', TestEnv.templates_dir, '--handlers', TestEnv::HANDLERS_DIR,
                                  '--namespace', EXTRA_NAMESPACES.join(','), '--concurrency', '8',
                                  '--grace-seconds', '2', '--with-orchestrator', log_name: 'conformance')
    end

    def start_in_process
      registry = TaskerCore::Registry.load_dir(TestEnv::HANDLERS_DIR)
      @worker = TaskerCore::Worker.new(registry: registry, templates_dir: TestEnv.templates_dir,
                                       namespaces: EXTRA_NAMESPACES, concurrency: 8, grace_seconds: 2,
                                       with_orchestrator: true)
      @worker.start
    end
  end
end
