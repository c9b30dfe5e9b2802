# frozen_string_literal: true

require 'optparse'
require_relative '../tasker_core'

module TaskerCore
  # `tasker-rb worker --templates DIR --handlers DIR [--namespace NS…] [--concurrency N]`.
  # Exit codes: 0 after a graceful stop, 1 when the worker failed, 2 on a usage error.
  class CLI
    USAGE = <<~TEXT
      Usage: tasker-rb worker --templates DIR --handlers DIR [options]
             tasker-rb version
             tasker-rb --help

      Runs a tasker worker whose step handlers are Ruby classes. It registers every *.yaml|*.yml
      template under --templates, requires every .rb file under --handlers, registers each
      TaskerCore::StepHandler::Base subclass by class name and handler_name, and serves the
      templates' namespaces until SIGINT or SIGTERM, then stops gracefully.

      Environment: DATABASE_URL (else the embedded default), TASKER_LIBRARY / TASKER_CLASSPATH
      (development builds; an installed gem carries its own), TASKER_LOG_LEVEL, JAVA_HOME.
    TEXT

    def initialize(out: $stdout, err: $stderr)
      @out = out
      @err = err
    end

    def run(argv)
      command = argv.first
      case command
      when 'worker' then worker(argv.drop(1))
      when 'version', '--version' then @out.puts("tasker-rb #{VERSION} (C ABI #{ABI_VERSION})") || 0
      when nil, '-h', '--help', 'help' then @out.puts(USAGE) || (command.nil? ? 2 : 0)
      else usage_error("unknown command '#{command}'")
      end
    end

    private

    def worker(argv)
      options = parse_worker(argv)
      return options if options.is_a?(Integer)

      registry = Registry.load_dir(options[:handlers])
      if registry.empty?
        return usage_error("no TaskerCore::StepHandler::Base subclasses found under #{options[:handlers]}")
      end

      worker = Worker.new(registry: registry, namespaces: options[:namespaces], templates_dir: options[:templates],
                          concurrency: options[:concurrency], grace_seconds: options[:grace],
                          database_url: options[:database_url], with_orchestrator: options[:orchestrator])
      worker.run
      Runtime.shutdown
      worker.failed? ? 1 : 0
    rescue Errors::ConfigurationError => e
      usage_error(e.message)
    rescue Errors::TaskerError => e
      @err.puts("tasker-rb: #{e.class.name.split('::').last}: #{e.message}")
      1
    end

    def parse_worker(argv)
      options = { namespaces: [], concurrency: 8, grace: 10.0 }
      parser = worker_parser(options)
      rest = parser.parse(argv)
      return usage_error("unexpected arguments: #{rest.join(' ')}") unless rest.empty?
      return options[:help] if options[:help]
      return usage_error('--handlers DIR is required') unless options[:handlers]
      return usage_error('--templates DIR or --namespace NS is required') if options[:templates].nil? && options[:namespaces].empty?
      return usage_error("--templates #{options[:templates]}: not a directory") if options[:templates] && !File.directory?(options[:templates])

      options
    rescue OptionParser::ParseError => e
      usage_error(e.message)
    end

    def worker_parser(options)
      OptionParser.new do |o|
        o.banner = 'Usage: tasker-rb worker --templates DIR --handlers DIR [options]'
        o.on('--templates DIR', 'register every *.yaml|*.yml under DIR and serve their namespaces') { |v| options[:templates] = v }
        o.on('--handlers DIR', 'require every .rb under DIR and register its handler classes') { |v| options[:handlers] = v }
        o.on('--namespace NS', 'serve NS too (repeatable, or comma-separated)') { |v| options[:namespaces].concat(v.split(',')) }
        o.on('--concurrency N', Integer, 'handlers running at once (default 8)') { |v| options[:concurrency] = v }
        o.on('--grace-seconds S', Float, 'on INT/TERM, wait this long for running handlers (default 10)') { |v| options[:grace] = v }
        o.on('--with-orchestrator', 'also run an orchestrator in this process (retries need one somewhere)') do
          options[:orchestrator] = true
        end
        o.on('--database-url URL', 'PostgreSQL URL (default: DATABASE_URL, else the embedded server)') { |v| options[:database_url] = v }
        o.on('-h', '--help', 'show this help') do
          @out.puts(o)
          options[:help] = 0
        end
      end
    end

    def usage_error(message)
      @err.puts("tasker-rb: #{message}")
      @err.puts("Run 'tasker-rb --help' for usage.")
      2
    end
  end
end
