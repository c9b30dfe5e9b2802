# frozen_string_literal: true

require 'spec_helper'

RSpec.describe TaskerCore::StepContext do
  let(:event) do
    { 'event_id' => 'e1', 'task_uuid' => 't1', 'step_uuid' => 's1', 'step_name' => 'b',
      'callable' => 'x.y', 'initialization' => { 'input_key' => 'n' }, 'task_context' => { 'n' => 6 },
      'dependency_results' => { 'a' => { 'value' => 36 } }, 'step_inputs' => { 'start_cursor' => 0 },
      'checkpoint' => { 'cursor' => 50, 'items_processed' => 50, 'accumulated_results' => { 'sum' => 1225 } },
      'attempts' => 2, 'max_attempts' => 3, 'retry_count' => 1, 'deadline_unix_ms' => ((Time.now.to_f + 60) * 1000).to_i }
  end
  let(:context) { described_class.new(event) }

  it 'reads inputs, dependency results and config by string or symbol key' do
    expect(context.get_input('n')).to eq(6)
    expect(context.get_input(:n)).to eq(6)
    expect(context.get_dependency_result(:a)).to eq('value' => 36)
    expect(context.get_dependency_result('missing')).to be_nil
    expect(context.get_config(:input_key)).to eq('n')
  end

  it 'exposes ids, attempts, step inputs and the checkpoint' do
    expect([context.task_uuid, context.step_uuid, context.step_name]).to eq(%w[t1 s1 b])
    expect([context.attempts, context.max_attempts, context.retry_count]).to eq([2, 3, 1])
    expect(context.step_inputs).to eq('start_cursor' => 0)
    expect(context.checkpoint.to_h).to eq(cursor: 50, items_processed: 50, accumulated_results: { 'sum' => 1225 })
    expect(context.remaining_seconds).to be_between(50, 61)
  end

  it 'gives empty collections and no checkpoint when the event has none' do
    bare = described_class.new('event_id' => 'e2')
    expect([bare.task_context, bare.dependency_results, bare.step_inputs, bare.initialization]).to all(eq({}))
    expect(bare.checkpoint).to be_nil
    expect(bare.retry_count).to eq(0)
  end
end

RSpec.describe TaskerCore::StepHandler::Base do
  subject(:handler) { Class.new(described_class).new }

  it 'builds success, failure and checkpoint results' do
    expect(handler.success(result: { a: 1 }).result).to eq(a: 1)
    failure = handler.failure(message: 'no', error_type: 'bad', retryable: true, retry_after: 2)
    expect(failure.to_h).to include(message: 'no', error_type: 'bad', retryable: true, retry_after: 2)
    expect(handler.checkpoint_yield(cursor: 5, items_processed: 5, accumulated_results: { s: 1 }).cursor).to eq(5)
  end

  it 'builds the decision outcome shapes of the conformance README' do
    expect(handler.decision_success(step_names: %i[a b]).result)
      .to eq('decision_point_outcome' => { 'type' => 'create_steps', 'step_names' => %w[a b] })
    expect(handler.decision_success(step_names: []).result)
      .to eq('decision_point_outcome' => { 'type' => 'no_branches' })
  end

  it 'builds the batch outcome shapes of the conformance README' do
    outcome = handler.create_batches(worker_template_name: 'w', total_items: 3,
                                     cursor_configs: [{ batch_id: '001', start_cursor: 0, end_cursor: 3, batch_size: 3 }])
    expect(outcome.result['batch_processing_outcome']).to eq(
      'type' => 'create_batches', 'worker_template_name' => 'w', 'worker_count' => 1, 'total_items' => 3,
      'cursor_configs' => [{ 'batch_id' => '001', 'start_cursor' => 0, 'end_cursor' => 3, 'batch_size' => 3 }]
    )
    expect(handler.no_batches.result).to eq('batch_processing_outcome' => { 'type' => 'no_batches' })
  end

  it 'says which class lacks #call' do
    klass = Class.new(described_class)
    stub_const('Lazy', klass)
    expect { klass.new.call(nil) }.to raise_error(NotImplementedError, /Lazy must implement #call/)
  end

  it 'keeps handler_name per class' do
    a = Class.new(described_class) { handler_name 'ns.a' }
    b = Class.new(described_class)
    expect([a.handler_name, b.handler_name]).to eq(['ns.a', nil])
    expect(described_class.descendants).to include(a, b)
  end
end

RSpec.describe TaskerCore::Errors do
  it 'maps every status code of docs/abi.md to its class, with message and JSON path' do
    expected = { -1 => 'ValidationError', -2 => 'NotInitializedError', -3 => 'NotRunningError',
                 -4 => 'UnknownEventError', -5 => 'EventExpiredError', -6 => 'AlreadyCompletedError',
                 -7 => 'JvmError', -8 => 'NotFoundError', -9 => 'ConflictError', -10 => 'UnavailableError',
                 -11 => 'TimeoutError', -99 => 'InternalError' }
    expected.each do |code, name|
      error = described_class.from_status(code, { 'error' => { 'code' => code, 'message' => 'm' } }, :tasker_x)
      expect(error.class.name).to eq("TaskerCore::Errors::#{name}")
      expect(error).to be_a(TaskerCore::Errors::TaskerError)
      expect(error.code).to eq(code)
    end
    invalid = described_class.from_status(-1, { 'error' => { 'message' => 'bad', 'path' => '$.result' } }, :f)
    expect([invalid.message, invalid.path]).to eq(['bad (at $.result)', '$.result'])
  end

  it 'still explains a status that came without an error document' do
    error = described_class.from_status(-42, nil, :tasker_poll)
    expect(error).to be_a(TaskerCore::Errors::InternalError)
    expect(error.message).to eq('tasker_poll returned status -42')
  end
end
