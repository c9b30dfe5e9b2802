# frozen_string_literal: true

require_relative 'big_values'

module Conformance
  def self.amount(context)
    BigValues.read(context.get_input('amount'), 'amount')
  end

  # Rejects a non-positive amount for good: retrying cannot fix bad input.
  class ValidateRequestHandler < TaskerCore::StepHandler::Base
    handler_name 'conformance.validate_request'

    def call(context)
      amount = Conformance.amount(context)
      if amount <= 0
        raise TaskerCore::Errors::PermanentError.new("amount must be positive, got #{amount}",
                                                     error_type: 'validation_error')
      end
      success(result: { amount: amount })
    end
  end

  # Decides which approval steps the amount needs; the engine creates only those.
  class RoutingDecisionHandler < TaskerCore::StepHandler::Base
    handler_name 'conformance.routing_decision'

    def call(context)
      amount = Conformance.amount(context)
      steps = if amount < 1000 then %w[auto_approve]
              elsif amount < 5000 then %w[manager_approval]
              else %w[manager_approval finance_review]
              end
      decision_success(step_names: steps)
    end
  end

  # One approval; the approver comes from initialization.approver.
  class ApproveHandler < TaskerCore::StepHandler::Base
    handler_name 'conformance.approve'

    def call(context)
      approver = context.get_config('approver').to_s
      raise TaskerCore::Errors::PermanentError, 'initialization.approver is required' if approver.empty?

      success(result: { approver: approver, amount: Conformance.amount(context) })
    end
  end

  # Summarises the approvals that ran (a deferred convergence: only the created approvers).
  class FinalizeApprovalHandler < TaskerCore::StepHandler::Base
    handler_name 'conformance.finalize_approval'
    PATHS = { %w[auto] => 'auto', %w[manager] => 'manager_only', %w[finance manager] => 'dual_approval' }.freeze

    def call(context)
      approvers = context.dependency_results.values.map { |r| r.is_a?(Hash) ? r['approver'] : nil }
                         .select { |a| a.is_a?(String) }.sort
      path = PATHS.fetch(approvers) do
        raise TaskerCore::Errors::PermanentError, "unexpected set of approvers: #{approvers}"
      end
      success(result: { approved: true, approval_path: path, approved_by: approvers })
    end
  end
end
