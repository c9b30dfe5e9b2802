# frozen_string_literal: true

require_relative 'lib/tasker_core/version'

Gem::Specification.new do |spec|
  spec.name = 'tasker-core-rb'
  spec.version = TaskerCore::VERSION
  spec.summary = 'Ruby workers and client for tasker, the PostgreSQL-backed workflow engine'
  spec.description = <<~TEXT
    Step handlers in Ruby for tasker. The core (Java) runs inside the Ruby process through
    libtasker.so, which the gem carries with the core jar and its AOT cache; Ruby pulls step
    events, runs handlers on a thread pool and pushes results back. Needs a JDK >= 25 at run time.
  TEXT
  spec.authors = ['tasker']
  spec.license = 'MIT'
  spec.required_ruby_version = '>= 3.1'
  spec.files = Dir['lib/**/*.rb', 'lib/tasker_core/vendor/*', 'bin/tasker-rb']
  spec.bindir = 'bin'
  spec.executables = ['tasker-rb']
  spec.require_paths = ['lib']
  spec.add_dependency 'ffi', '>= 1.15'
  spec.metadata['rubygems_mfa_required'] = 'true'
end
