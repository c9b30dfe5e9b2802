package io.tasker.examples.conformance;

import static io.tasker.examples.Contexts.json;
import static io.tasker.examples.Contexts.step;
import static io.tasker.examples.Results.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tasker.examples.Contexts;
import io.tasker.worker.PermanentError;
import org.junit.jupiter.api.Test;

class ApprovalHandlersTest {
  private static Contexts amount(long amount) {
    return step().withTask("{'amount': " + amount + ", 'requester': 'ada'}");
  }

  @Test
  void validateRequestRejectsNonPositiveAmountsAsValidationErrors() throws Exception {
    var handler = new ValidateRequestHandler();
    assertThat(success(handler, amount(500))).isEqualTo(json("{'amount': 500}"));
    for (long bad : new long[] {-5, 0}) {
      assertThatThrownBy(() -> handler.call(amount(bad).build()))
          .isInstanceOfSatisfying(
              PermanentError.class, e -> assertThat(e.errorType()).isEqualTo("validation_error"));
    }
  }

  @Test
  void routingDecisionCreatesTheApproversTheAmountNeeds() throws Exception {
    var handler = new RoutingDecisionHandler();
    String auto = "['auto_approve']";
    String manager = "['manager_approval']";
    String both = "['manager_approval', 'finance_review']";
    long[] amounts = {500, 999, 1000, 3000, 4999, 5000, 10000};
    String[] expected = {auto, auto, manager, manager, manager, both, both};
    for (int i = 0; i < amounts.length; i++) {
      assertThat(success(handler, amount(amounts[i])))
          .as("amount %d", amounts[i])
          .isEqualTo(
              json(
                  "{'decision_point_outcome': {'type': 'create_steps', 'step_names': "
                      + expected[i]
                      + "}}"));
    }
  }

  @Test
  void approveNamesItsApprover() throws Exception {
    assertThat(success(new ApproveHandler(), amount(3000).withConfig("{'approver': 'manager'}")))
        .isEqualTo(json("{'approver': 'manager', 'amount': 3000}"));
  }

  @Test
  void finalizeApprovalReadsWhicheverApproversRan() throws Exception {
    var handler = new FinalizeApprovalHandler();
    assertThat(
            success(
                handler,
                amount(500).withParent("auto_approve", "{'approver': 'auto', 'amount': 500}")))
        .isEqualTo(json("{'approved': true, 'approval_path': 'auto', 'approved_by': ['auto']}"));
    assertThat(
            success(
                handler,
                amount(3000)
                    .withParent("manager_approval", "{'approver': 'manager', 'amount': 3000}")))
        .isEqualTo(
            json(
                "{'approved': true, 'approval_path': 'manager_only', 'approved_by': ['manager']}"));
    assertThat(
            success(
                handler,
                amount(10000)
                    .withParent("manager_approval", "{'approver': 'manager', 'amount': 10000}")
                    .withParent("finance_review", "{'approver': 'finance', 'amount': 10000}")))
        .isEqualTo(
            json(
                "{'approved': true, 'approval_path': 'dual_approval',"
                    + " 'approved_by': ['finance', 'manager']}"));
  }

  @Test
  void finalizeApprovalWithoutApproversFails() {
    assertThatThrownBy(() -> new FinalizeApprovalHandler().call(amount(500).build()))
        .isInstanceOf(PermanentError.class);
  }
}
