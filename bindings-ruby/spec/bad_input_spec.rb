# frozen_string_literal: true

require 'spec_helper'
require_relative 'support/worker_process'

# Handlers that misbehave, through the real worker: each event still gets exactly one, precise,
# failed completion.
RSpec.describe 'a worker given bad handlers', :e2e do
  before(:all) do
    TestEnv.require_library!
    ENV['DATABASE_URL'] = TestEnv.database_url
    @client = TaskerCore::Client.new
    WorkerProcess.ensure_started(@client)
  end

  def run_task(name, context = {})
    uuid = @client.create_task(namespace: 'rb_bad_input', name: name, version: '1.0.0', context: context)['task_uuid']
    @client.wait_for_task(uuid, timeout: 60)
  end

  def only_step(doc)
    expect(doc['steps'].size).to eq(1)
    doc['steps'].first
  end

  it 'fails a raising handler with the exception class as error_type, retrying it' do
    doc = run_task('raising')
    step = only_step(doc)
    expect(doc['state']).to eq('error')
    expect(step['attempts']).to eq(2)
    expect(step['error']).to include('error_type' => 'KeyError', 'message' => 'no such key: widget')
  end

  it 'fails a handler that returns a String, once, as invalid_result' do
    step = only_step(run_task('garbage'))
    expect(step['state']).to eq('error')
    expect(step['attempts']).to eq(1)
    expect(step['error']['error_type']).to eq('invalid_result')
    expect(step['error']['message']).to include('returned String')
  end

  it 'fails a result that is not JSON as invalid_result' do
    step = only_step(run_task('unserialisable'))
    expect(step['error']['error_type']).to eq('invalid_result')
  end

  it 'fails a step whose callable has no handler as handler_not_found' do
    step = only_step(run_task('missing_handler'))
    expect(step['state']).to eq('error')
    expect(step['error']['error_type']).to eq('handler_not_found')
    expect(step['error']['message']).to include('rb_bad_input.nobody_home')
  end

  it 'honours retry_after and passes context, config and parent results to handlers' do
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    doc = run_task('retry_after', { 'who' => 'ruby' })
    expect(doc['state']).to eq('complete')
    first = doc['steps'].find { |s| s['name'] == 'first' }['result']
    expect(first).to eq('greeting' => 'hello', 'who' => 'ruby', 'step' => 'first',
                        'task_uuid' => doc['task_uuid'], 'retry_count' => 0)
    second = doc['steps'].find { |s| s['name'] == 'second' }
    expect(second['result']).to eq('parent' => first, 'attempts' => 2)
    # retry_after (1 s) replaced the template's 30 s backoff
    expect(Process.clock_gettime(Process::CLOCK_MONOTONIC) - started).to be < 20
  end
end
