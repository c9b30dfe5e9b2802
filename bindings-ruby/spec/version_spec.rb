# frozen_string_literal: true

require 'spec_helper'

RSpec.describe 'TaskerCore::VERSION' do
  it 'equals the Maven project version (DESIGN.md §8: package versions equal it)' do
    pom = File.read(File.join(TestEnv::ROOT, 'pom.xml'))
    maven_version = pom[%r{<parent>.*?<version>([^<]+)</version>.*?</parent>}m, 1]
    expect(TaskerCore::VERSION).to eq(maven_version)
  end

  it 'is the gemspec version' do
    spec = Gem::Specification.load(File.join(TestEnv::ROOT, 'tasker-core-rb.gemspec'))
    expect([spec.version.to_s, spec.executables, spec.runtime_dependencies.map(&:name)])
      .to eq([TaskerCore::VERSION, ['tasker-rb'], ['ffi']])
  end
end
