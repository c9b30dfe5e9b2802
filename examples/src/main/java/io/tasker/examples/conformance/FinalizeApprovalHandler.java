package io.tasker.examples.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.worker.PermanentError;
import io.tasker.worker.StepContext;
import io.tasker.worker.StepHandler;
import io.tasker.worker.StepResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Summarises the approvals that ran. It is a deferred convergence step, so its dependency results
 * hold only the approvers the routing decision created.
 */
public final class FinalizeApprovalHandler implements StepHandler {
  @Override
  public String handlerName() {
    return "conformance.finalize_approval";
  }

  @Override
  public StepResult call(StepContext ctx) {
    List<String> approvers =
        ctx.dependencyResults().values().stream()
            .map(result -> result.path("approver"))
            .filter(JsonNode::isTextual)
            .map(JsonNode::textValue)
            .sorted()
            .toList();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("approved", true);
    result.put("approval_path", path(approvers));
    result.put("approved_by", approvers);
    return StepResult.success(result);
  }

  private static String path(List<String> sortedApprovers) {
    if (sortedApprovers.equals(List.of("auto"))) {
      return "auto";
    }
    if (sortedApprovers.equals(List.of("manager"))) {
      return "manager_only";
    }
    if (sortedApprovers.equals(List.of("finance", "manager"))) {
      return "dual_approval";
    }
    throw new PermanentError("unexpected set of approvers: " + sortedApprovers);
  }
}
