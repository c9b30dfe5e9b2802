# frozen_string_literal: true

require 'spec_helper'
require 'open3'

# The executable's usage errors (no database or core needed: it stops before loading them).
RSpec.describe 'tasker-rb', :subprocess do
  def tasker_rb(*args)
    out, err, status = Open3.capture3(RbConfig.ruby, TestEnv::EXECUTABLE, *args)
    [out, err, status.exitstatus]
  end

  it 'documents every worker flag in --help' do
    out, _, code = tasker_rb('worker', '--help')
    expect(code).to eq(0)
    %w[--templates --handlers --namespace --concurrency --grace-seconds --with-orchestrator --database-url].each do |flag|
      expect(out).to include(flag)
    end
    expect(tasker_rb('--help')[0]).to include('tasker-rb worker --templates DIR --handlers DIR')
  end

  it 'prints its version' do
    expect(tasker_rb('version')).to eq(["tasker-rb #{TaskerCore::VERSION} (C ABI 1)\n", '', 0])
  end

  it 'exits 2 with a precise message on usage errors' do
    fixtures = File.join(TestEnv::ROOT, 'spec', 'fixtures')
    {
      %w[frobnicate] => "unknown command 'frobnicate'",
      %w[worker --templates /tmp] => '--handlers DIR is required',
      %w[worker --handlers /tmp] => '--templates DIR or --namespace NS is required',
      %w[worker --namespace x --handlers /tmp --concurrency many] => 'invalid argument: --concurrency many',
      %w[worker --namespace x --handlers /nonexistent] => '--handlers /nonexistent: not a directory',
      %w[worker --templates /nonexistent --handlers /tmp] => '--templates /nonexistent: not a directory',
      %w[worker --namespace x --handlers /tmp --bogus] => 'invalid option: --bogus',
      ['worker', '--namespace', 'x', '--handlers', File.join(fixtures, 'handlers_broken')] =>
        'cannot load handler file',
      ['worker', '--namespace', 'x', '--handlers', File.join(fixtures, 'templates')] =>
        'no TaskerCore::StepHandler::Base subclasses found',
      ['worker', '--namespace', 'x', '--handlers', File.join(fixtures, 'handlers_ok'), '--concurrency', '0'] =>
        'concurrency must be 1..1000, got 0'
    }.each do |args, message|
      _, err, code = tasker_rb(*args)
      expect([code, err]).to match([2, include(message)]), "#{args.join(' ')} → #{code} #{err}"
    end
  end
end
