package io.tasker.examples.conformance;

import io.tasker.worker.PermanentError;
import io.tasker.worker.StepContext;
import io.tasker.worker.StepHandler;
import io.tasker.worker.StepResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Splits {@code item_count} items into cursor ranges of {@code batch_size}, one per worker. */
public final class PlanBatchesHandler implements StepHandler {
  static final String WORKER_TEMPLATE = "sum_batch";

  @Override
  public String handlerName() {
    return "conformance.plan_batches";
  }

  @Override
  public StepResult call(StepContext ctx) {
    long itemCount = BigValues.read(ctx.input("item_count"), "item_count").longValueExact();
    long batchSize = BigValues.read(ctx.input("batch_size"), "batch_size").longValueExact();
    if (itemCount < 0 || batchSize < 1) {
      throw new PermanentError(
          "need item_count >= 0 and batch_size >= 1, got " + itemCount + " and " + batchSize,
          "validation_error");
    }
    if (itemCount == 0) {
      return StepResult.noBatches();
    }
    List<Map<String, Object>> configs = new ArrayList<>();
    for (long start = 0; start < itemCount; start += batchSize) {
      long end = Math.min(start + batchSize, itemCount);
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("batch_id", "%03d".formatted(configs.size() + 1));
      config.put("start_cursor", start);
      config.put("end_cursor", end);
      // the items this worker owns: batch_size, except for a shorter last range
      config.put("batch_size", end - start);
      configs.add(config);
    }
    return StepResult.batches(WORKER_TEMPLATE, configs, itemCount);
  }
}
