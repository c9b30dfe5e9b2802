# frozen_string_literal: true

$LOAD_PATH.unshift(File.expand_path('../lib', __dir__))
require 'tasker_core'
require_relative 'support/test_env'

RSpec.configure do |config|
  config.expect_with(:rspec) { |c| c.syntax = :expect }
  config.disable_monkey_patching!
  config.order = :defined
  # specs that spawn `tasker-rb worker` processes cannot run inside the JVM (JRuby)
  config.filter_run_excluding(:subprocess) if RUBY_ENGINE == 'jruby'
end
