# frozen_string_literal: true

require 'json'
require 'yaml'
require_relative 'tasker_core/version'
require_relative 'tasker_core/errors'
require_relative 'tasker_core/native'
require_relative 'tasker_core/runtime'
require_relative 'tasker_core/client'
require_relative 'tasker_core/step_context'
require_relative 'tasker_core/step_handler/results'
require_relative 'tasker_core/step_handler/base'
require_relative 'tasker_core/registry'
require_relative 'tasker_core/outcome'
require_relative 'tasker_core/in_flight'
require_relative 'tasker_core/completer'
require_relative 'tasker_core/worker'

# tasker workers and clients in Ruby: the core (Java) runs inside this process through
# libtasker.so; Ruby pulls step events, runs handlers and pushes their results back.
module TaskerCore
end
