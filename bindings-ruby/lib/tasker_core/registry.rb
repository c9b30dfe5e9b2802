# frozen_string_literal: true

module TaskerCore
  # Handler classes by callable: each StepHandler::Base subclass under its class name and, when it
  # sets one, its handler_name.
  class Registry
    def initialize
      @by_callable = {}
    end

    # Requires every .rb file under dir (recursively, sorted) and registers every handler class
    # defined in those files. Raises ConfigurationError naming the file that failed to load.
    def self.load_dir(dir)
      raise Errors::ConfigurationError, "--handlers #{dir}: not a directory" unless File.directory?(dir.to_s)

      files = Dir.glob(File.join(File.realpath(dir), '**', '*.rb')).sort
      files.each do |file|
        require file
      rescue ScriptError, StandardError => e
        raise Errors::ConfigurationError, "cannot load handler file #{file}: #{e.class}: #{e.message}"
      end
      loaded = StepHandler::Base.descendants.select { |klass| files.include?(klass.source_file) }
      new.tap { |registry| loaded.each { |klass| registry.register(klass) } }
    end

    def register(klass, as: nil)
      unless klass.is_a?(Class) && klass < StepHandler::Base
        raise Errors::ConfigurationError, "#{klass.inspect} is not a TaskerCore::StepHandler::Base subclass"
      end

      names = [as, klass.name, klass.handler_name].compact.uniq
      raise Errors::ConfigurationError, "#{klass.inspect} has neither a class name nor a handler_name" if names.empty?

      names.each do |callable|
        existing = @by_callable[callable]
        if existing && existing != klass
          raise Errors::ConfigurationError,
                "callable '#{callable}' is claimed by both #{existing.name || existing.inspect} and " \
                "#{klass.name || klass.inspect}"
        end
        @by_callable[callable] = klass
      end
      self
    end

    def find(callable)
      @by_callable[callable.to_s]
    end

    def callables
      @by_callable.keys.sort
    end

    def empty?
      @by_callable.empty?
    end
  end
end
