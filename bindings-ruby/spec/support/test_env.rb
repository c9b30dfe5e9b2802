# frozen_string_literal: true

# Where the tests find what they need: the conformance files beside the project, the handlers,
# the executable, and a database.
module TestEnv
  ROOT = File.expand_path('../..', __dir__)
  CONFORMANCE_DIR = ENV.fetch('TASKER_CONFORMANCE_DIR', File.expand_path('../../shared/conformance', ROOT))
  HANDLERS_DIR = File.join(ROOT, 'spec', 'handlers')
  EXECUTABLE = File.join(ROOT, 'bin', 'tasker-rb')

  module_function

  # The database every process of this run shares; the Maven driver creates a fresh one.
  def database_url
    url = ENV.fetch('DATABASE_URL', '')
    raise 'DATABASE_URL must name a fresh database for these specs (the Maven module sets it up)' if url.empty?

    url
  end

  def templates_dir
    File.join(CONFORMANCE_DIR, 'templates')
  end

  # The library must be there: these specs never pass without the real core.
  def require_library!
    return if TaskerCore::Native.find_library

    raise 'libtasker.so not found: set TASKER_LIBRARY and TASKER_CLASSPATH (see docs/ruby.md)'
  end
end
