package io.tasker.examples.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.worker.StepContext;
import io.tasker.worker.StepHandler;
import io.tasker.worker.StepResult;
import java.math.BigInteger;
import java.util.Map;

/** Adds up the batch workers' partial sums; with no batches there are no parents and all is 0. */
public final class TotalHandler implements StepHandler {
  @Override
  public String handlerName() {
    return "conformance.total";
  }

  @Override
  public StepResult call(StepContext ctx) {
    BigInteger sum = BigInteger.ZERO;
    long items = 0;
    long batches = 0;
    for (Map.Entry<String, JsonNode> parent : ctx.dependencyResults().entrySet()) {
      JsonNode result = parent.getValue();
      if (!result.has("sum")) {
        continue; // not a batch worker (e.g. the planning step, if the engine passes it along)
      }
      sum = sum.add(BigValues.read(result.path("sum"), parent.getKey() + ".sum"));
      items += BigValues.read(result.path("items"), parent.getKey() + ".items").longValueExact();
      batches++;
    }
    ObjectNode total = JsonNodeFactory.instance.objectNode();
    total.set("sum", BigValues.write(sum));
    return StepResult.success(total.put("items", items).put("batches", batches));
  }
}
