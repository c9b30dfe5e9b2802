# frozen_string_literal: true

require 'spec_helper'

RSpec.describe TaskerCore::Outcome do
  let(:registry) { TaskerCore::Registry.new }
  let(:event) { { 'event_id' => 'ev-1', 'callable' => 'test.handler', 'task_context' => { 'n' => 3 } } }

  def outcome_of(&body)
    klass = Class.new(TaskerCore::StepHandler::Base) { define_method(:call, &body) }
    registry.register(klass, as: 'test.handler')
    described_class.run(registry, event)
  end

  it 'completes a success with its result and execution time' do
    kind, doc = outcome_of { |ctx| success(result: { value: ctx.get_input('n')**2 }) }
    expect(kind).to eq(:complete)
    expect(doc['event_id']).to eq('ev-1')
    expect(doc['result']).to include('success' => true, 'status' => 'completed', 'result' => { 'value' => 9 })
    expect(doc['result']['metadata']['execution_time_ms']).to be >= 0
  end

  it 'treats a returned Hash as the result' do
    _, doc = outcome_of { |_ctx| { 'a' => [1, 2] } }
    expect(doc['result']).to include('success' => true, 'result' => { 'a' => [1, 2] })
  end

  it 'fails a handler that returns something else, non-retryably, saying what it got' do
    _, doc = outcome_of { |_ctx| 42 }
    error = doc['result']['error']
    expect(doc['result']).to include('success' => false, 'status' => 'failed', 'result' => nil)
    expect(error).to include('error_type' => 'invalid_result', 'retryable' => false)
    expect(error['message']).to include('returned Integer (42)')
  end

  it 'fails nil the same way' do
    _, doc = outcome_of { |_ctx| nil }
    expect(doc['result']['error']).to include('error_type' => 'invalid_result')
  end

  it 'fails a result that is not JSON' do
    _, doc = outcome_of { |_ctx| success(result: { x: Float::NAN }) }
    expect(doc['result']['error']).to include('error_type' => 'invalid_result', 'retryable' => false)
  end

  it 'turns a plain exception into a retryable failure named by its class, with a backtrace' do
    _, doc = outcome_of { |_ctx| raise ArgumentError, 'boom' }
    error = doc['result']['error']
    expect(error).to include('message' => 'boom', 'error_type' => 'ArgumentError', 'retryable' => true)
    expect(error['backtrace']).to be_an(Array).and(be_any)
  end

  it 'turns PermanentError into a non-retryable failure with its error_type and context' do
    _, doc = outcome_of do |_ctx|
      raise TaskerCore::Errors::PermanentError.new('bad input', error_type: 'validation_error', context: { f: 1 })
    end
    expect(doc['result']['error']).to include('message' => 'bad input', 'error_type' => 'validation_error',
                                              'retryable' => false, 'context' => { 'f' => 1 })
  end

  it 'turns RetryableError into a retryable failure with a backoff hint' do
    _, doc = outcome_of { |_ctx| raise TaskerCore::Errors::RetryableError.new('rate limited', retry_after: 2) }
    expect(doc['result']['error']).to include('error_type' => 'retryable_error', 'retryable' => true)
    expect(doc['result']['backoff_hint']).to eq('delay_seconds' => 2, 'reason' => 'rate limited')
  end

  it 'passes a returned failure through, retryable flag and all' do
    _, doc = outcome_of { |_ctx| failure(message: 'nope', error_type: 'transient', retryable: true, status_code: 503) }
    expect(doc['result']['error']).to include('message' => 'nope', 'error_type' => 'transient',
                                              'retryable' => true, 'status_code' => 503)
  end

  it 'makes a checkpoint yield a checkpoint document' do
    kind, doc = outcome_of { |_ctx| checkpoint_yield(cursor: 50, items_processed: 50, accumulated_results: { sum: 1 }) }
    expect(kind).to eq(:checkpoint)
    expect(doc).to eq('event_id' => 'ev-1', 'cursor' => 50, 'items_processed' => 50,
                      'accumulated_results' => { 'sum' => 1 })
  end

  it 'fails a checkpoint that is not JSON instead of sending it' do
    kind, doc = outcome_of { |_ctx| checkpoint_yield(cursor: 1, items_processed: 1, accumulated_results: { s: Float::NAN }) }
    expect(kind).to eq(:complete)
    expect(doc['result']['error']).to include('error_type' => 'invalid_result', 'retryable' => false)
  end

  it 'fails an event whose callable has no handler, without retries' do
    _, doc = described_class.run(registry, event.merge('callable' => 'nobody.home'))
    expect(doc['result']['error']).to include('error_type' => 'handler_not_found', 'retryable' => false)
    expect(doc['result']['error']['message']).to include("'nobody.home'")
  end

  it 'even catches non-StandardError exceptions' do
    _, doc = outcome_of { |_ctx| raise NoMemoryError, 'oom' }
    expect(doc['result']['error']).to include('error_type' => 'NoMemoryError', 'retryable' => true)
  end
end

RSpec.describe TaskerCore::Registry do
  let(:fixtures) { File.expand_path('fixtures', __dir__) }

  it 'loads every .rb under a directory and registers classes by name and handler_name' do
    registry = described_class.load_dir(File.join(fixtures, 'handlers_ok'))
    expect(registry.find('fixtures.greet')).to eq(Fixtures::Greeter)
    expect(registry.find('Fixtures::Greeter')).to eq(Fixtures::Greeter)
    expect(registry.callables).to include('Fixtures::Greeter', 'fixtures.greet')
  end

  it 'names the file that does not load' do
    expect { described_class.load_dir(File.join(fixtures, 'handlers_broken')) }
      .to raise_error(TaskerCore::Errors::ConfigurationError, %r{cannot load handler file .*handlers_broken/broken.rb: SyntaxError})
  end

  it 'refuses two classes claiming one callable' do
    expect { described_class.load_dir(File.join(fixtures, 'handlers_dup')) }
      .to raise_error(TaskerCore::Errors::ConfigurationError, /'fixtures.dup' is claimed by both Fixtures::DupOne and Fixtures::DupTwo/)
  end

  it 'refuses a directory that does not exist and a class that is not a handler' do
    expect { described_class.load_dir('/nonexistent/handlers') }
      .to raise_error(TaskerCore::Errors::ConfigurationError, /not a directory/)
    expect { described_class.new.register(String) }
      .to raise_error(TaskerCore::Errors::ConfigurationError, /not a TaskerCore::StepHandler::Base subclass/)
  end
end

RSpec.describe TaskerCore::InFlight do
  it 'gives each completion right once and counts free slots' do
    in_flight = described_class.new(2)
    in_flight.add('a')
    in_flight.add('b')
    expect(in_flight.wait_for_slots(0.01)).to eq(0)
    expect(in_flight.finish('a')).to be(true)
    expect(in_flight.finish('a')).to be(false)
    expect(in_flight.wait_for_slots(0.01)).to eq(1)
    expect(in_flight.take_all).to eq(['b'])
    expect(in_flight.finish('b')).to be(false)
  end

  it 'wakes a waiting poller when a slot frees up' do
    in_flight = described_class.new(1)
    in_flight.add('a')
    Thread.new { sleep 0.05; in_flight.finish('a') } # rubocop:disable Style/Semicolon
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    expect(in_flight.wait_for_slots(5)).to eq(1)
    expect(Process.clock_gettime(Process::CLOCK_MONOTONIC) - started).to be < 4
  end

  it 'waits until empty or the deadline' do
    in_flight = described_class.new(1)
    in_flight.add('a')
    deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + 0.05
    expect(in_flight.wait_until_empty(deadline)).to be(false)
    in_flight.finish('a')
    expect(in_flight.wait_until_empty(deadline)).to be(true)
  end
end
