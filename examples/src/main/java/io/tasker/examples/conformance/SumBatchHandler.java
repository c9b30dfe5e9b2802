package io.tasker.examples.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.worker.PermanentError;
import io.tasker.worker.StepContext;
import io.tasker.worker.StepHandler;
import io.tasker.worker.StepResult;
import java.math.BigInteger;

/**
 * A batch worker: sums the integers in {@code [start_cursor, end_cursor)} of its cursor config. It
 * handles at most {@code initialization.checkpoint_every} items per invocation and then yields a
 * checkpoint, so a crash loses at most that much work; the next invocation resumes from it.
 */
public final class SumBatchHandler implements StepHandler {
  @Override
  public String handlerName() {
    return "conformance.sum_batch";
  }

  @Override
  public StepResult call(StepContext ctx) {
    JsonNode range = ctx.stepInputs();
    long start = BigValues.read(range.path("start_cursor"), "start_cursor").longValueExact();
    long end = BigValues.read(range.path("end_cursor"), "end_cursor").longValueExact();
    long every = ctx.config("checkpoint_every").asLong();
    if (every <= 0) {
      every = Long.MAX_VALUE; // no checkpoints asked for: do the whole range at once
    }

    long cursor = start;
    long processed = 0;
    BigInteger sum = BigInteger.ZERO;
    if (ctx.checkpoint().isPresent()) {
      StepContext.Checkpoint checkpoint = ctx.checkpoint().get();
      cursor = BigValues.read(checkpoint.cursor(), "checkpoint cursor").longValueExact();
      processed = checkpoint.itemsProcessed();
      sum = BigValues.read(checkpoint.accumulatedResults().path("sum"), "checkpoint sum");
    }
    if (start > end || cursor < start || cursor > end) {
      throw new PermanentError(
          "bad cursor %d for range [%d, %d)".formatted(cursor, start, end), "validation_error");
    }

    long stop = end - cursor <= every ? end : cursor + every;
    for (long i = cursor; i < stop; i++) {
      sum = sum.add(BigInteger.valueOf(i));
    }
    processed += stop - cursor;

    ObjectNode partial = JsonNodeFactory.instance.objectNode();
    partial.set("sum", BigValues.write(sum));
    if (stop < end) {
      return StepResult.checkpointYield(stop, processed, partial);
    }
    return StepResult.success(partial.put("items", end - start));
  }
}
