# frozen_string_literal: true

module TaskerCore
  # Equal to the Maven project version (bindings-ruby/pom.xml); a test keeps the two in step.
  VERSION = '0.1.0'
  # The C ABI this gem is written against (docs/abi.md); the loader refuses any other.
  ABI_VERSION = 1
end
