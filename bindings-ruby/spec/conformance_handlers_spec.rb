# frozen_string_literal: true

require 'spec_helper'

Dir[File.join(TestEnv::HANDLERS_DIR, '*.rb')].sort.each { |f| require f }

# The Ruby conformance handlers on their own (the end-to-end suite runs them through the worker).
RSpec.describe 'conformance handlers' do
  def run(handler, **event)
    result = handler.new.call(TaskerCore::StepContext.new(event.transform_keys(&:to_s)))
    result.respond_to?(:result) ? JSON.parse(JSON.generate(result.result)) : result
  end

  it 'squares inputs and parents, switching to decimal strings past 2^53-1' do
    expect(run(Conformance::SquareInputHandler, initialization: { 'input_key' => 'n' }, task_context: { 'n' => 6 }))
      .to eq('value' => 36)
    big = run(Conformance::SquareParentsHandler,
              dependency_results: { 'a' => { 'value' => 2_821_109_907_456 }, 'b' => { 'value' => '2821109907456' } })
    expect(big).to eq('value' => ((2_821_109_907_456**2)**2).to_s)
    # 94906265^2 is just below 2^53-1, 94906266^2 just above
    expect(run(Conformance::SquareParentsHandler, dependency_results: { 'a' => { 'value' => 94_906_265 } }))
      .to eq('value' => 9_007_199_136_250_225)
    expect(run(Conformance::SquareParentsHandler, dependency_results: { 'a' => { 'value' => 94_906_266 } }))
      .to eq('value' => '9007199326062756')
  end

  it 'rejects a value that is not an integer as a validation error' do
    expect { run(Conformance::SquareInputHandler, initialization: { 'input_key' => 'n' }, task_context: { 'n' => 'six' }) }
      .to raise_error(TaskerCore::Errors::PermanentError) { |e| expect(e.error_type).to eq('validation_error') }
  end

  it 'routes approvals by amount and summarises them' do
    route = ->(amount) { run(Conformance::RoutingDecisionHandler, task_context: { 'amount' => amount }) }
    expect(route.call(500)['decision_point_outcome']['step_names']).to eq(%w[auto_approve])
    expect(route.call(3000)['decision_point_outcome']['step_names']).to eq(%w[manager_approval])
    expect(route.call(10_000)['decision_point_outcome']['step_names']).to eq(%w[manager_approval finance_review])
    final = run(Conformance::FinalizeApprovalHandler,
                dependency_results: { 'f' => { 'approver' => 'finance' }, 'm' => { 'approver' => 'manager' } })
    expect(final).to eq('approved' => true, 'approval_path' => 'dual_approval', 'approved_by' => %w[finance manager])
  end

  it 'plans batches and sums a range through checkpoints' do
    plan = run(Conformance::PlanBatchesHandler, task_context: { 'item_count' => 450, 'batch_size' => 200 })
    configs = plan['batch_processing_outcome']['cursor_configs']
    expect(configs.map { |c| [c['batch_id'], c['start_cursor'], c['end_cursor'], c['batch_size']] })
      .to eq([['001', 0, 200, 200], ['002', 200, 400, 200], ['003', 400, 450, 50]])
    expect(run(Conformance::PlanBatchesHandler, task_context: { 'item_count' => 0, 'batch_size' => 200 }))
      .to eq('batch_processing_outcome' => { 'type' => 'no_batches' })

    event = { initialization: { 'checkpoint_every' => 50 }, step_inputs: { 'start_cursor' => 0, 'end_cursor' => 120 } }
    steps = 0
    loop do
      out = Conformance::SumBatchHandler.new.call(TaskerCore::StepContext.new(event.transform_keys(&:to_s)))
      steps += 1
      break expect(JSON.parse(JSON.generate(out.result))).to eq('sum' => (0...120).sum, 'items' => 120) unless out.is_a?(TaskerCore::StepHandler::Results::CheckpointYield)

      event[:checkpoint] = JSON.parse(JSON.generate(out.to_h))
    end
    expect(steps).to eq(3)
  end

  it 'scripts retries by retry_count' do
    first = Conformance::ScriptedHandler.new.call(TaskerCore::StepContext.new('task_context' => { 'mode' => 'succeed_on_third_attempt' }))
    third = Conformance::ScriptedHandler.new.call(TaskerCore::StepContext.new('task_context' => { 'mode' => 'succeed_on_third_attempt' }, 'retry_count' => 2))
    expect([first.retryable, third.result]).to eq([true, { value: 3 }])
    expect { Conformance::ScriptedHandler.new.call(TaskerCore::StepContext.new('task_context' => { 'mode' => 'raise_exception' })) }
      .to raise_error(RuntimeError, 'scripted exception')
  end
end
