package io.tasker.examples.conformance;

import static io.tasker.examples.Contexts.json;
import static io.tasker.examples.Contexts.step;
import static io.tasker.examples.Results.success;
import static io.tasker.examples.Results.wire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.examples.Contexts;
import io.tasker.worker.StepContext.Checkpoint;
import io.tasker.worker.StepResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchHandlersTest {
  private final PlanBatchesHandler plan = new PlanBatchesHandler();
  private final SumBatchHandler sumBatch = new SumBatchHandler();

  private JsonNode plan(int itemCount, int batchSize) throws Exception {
    return success(
        plan,
        step().withTask("{'item_count': %d, 'batch_size': %d}".formatted(itemCount, batchSize)));
  }

  /** Runs a batch worker as the engine does: each checkpoint is fed back until it succeeds. */
  private JsonNode runWorker(JsonNode cursorConfig, List<StepResult.CheckpointYield> yields)
      throws Exception {
    Contexts ctx = step().withConfig("{'checkpoint_every': 50}").withStepInputs(cursorConfig);
    while (true) {
      StepResult result = sumBatch.call(ctx.build());
      if (result instanceof StepResult.CheckpointYield y) {
        yields.add(y);
        ctx =
            ctx.withCheckpoint(
                new Checkpoint(y.cursor(), y.itemsProcessed(), y.accumulatedResults()));
      } else {
        assertThat(result).isInstanceOf(StepResult.Success.class);
        return wire(((StepResult.Success) result).result());
      }
    }
  }

  @Test
  void plansOneCursorRangePerBatch() throws Exception {
    assertThat(plan(1000, 200))
        .isEqualTo(
            json(
                """
                {'batch_processing_outcome': {
                  'type': 'create_batches', 'worker_template_name': 'sum_batch',
                  'worker_count': 5, 'total_items': 1000,
                  'cursor_configs': [
                    {'batch_id': '001', 'start_cursor': 0, 'end_cursor': 200, 'batch_size': 200},
                    {'batch_id': '002', 'start_cursor': 200, 'end_cursor': 400, 'batch_size': 200},
                    {'batch_id': '003', 'start_cursor': 400, 'end_cursor': 600, 'batch_size': 200},
                    {'batch_id': '004', 'start_cursor': 600, 'end_cursor': 800, 'batch_size': 200},
                    {'batch_id': '005', 'start_cursor': 800, 'end_cursor': 1000, 'batch_size': 200}
                  ]}}
                """));
  }

  @Test
  void theLastRangeEndsAtItemCount() throws Exception {
    JsonNode configs = plan(1050, 200).at("/batch_processing_outcome/cursor_configs");
    assertThat(configs).hasSize(6);
    assertThat(configs.get(5))
        .isEqualTo(
            json(
                "{'batch_id': '006', 'start_cursor': 1000, 'end_cursor': 1050, 'batch_size': 50}"));
  }

  @Test
  void noItemsMeansNoBatches() throws Exception {
    assertThat(plan(0, 200))
        .isEqualTo(json("{'batch_processing_outcome': {'type': 'no_batches'}}"));
  }

  @Test
  void sumBatchCheckpointsEvery50ItemsAndResumes() throws Exception {
    List<StepResult.CheckpointYield> yields = new ArrayList<>();
    JsonNode result =
        runWorker(
            json("{'batch_id': '001', 'start_cursor': 0, 'end_cursor': 200, 'batch_size': 200}"),
            yields);
    assertThat(result).isEqualTo(json("{'sum': 19900, 'items': 200}"));
    assertThat(yields)
        .extracting(y -> y.cursor().asLong(), StepResult.CheckpointYield::itemsProcessed)
        .containsExactly(tuple(50L, 50L), tuple(100L, 100L), tuple(150L, 150L));
    // the partial sum after items 0..49
    assertThat(wire(yields.getFirst().accumulatedResults())).isEqualTo(json("{'sum': 1225}"));
  }

  @Test
  void sumBatchWithoutCheckpointEveryDoesTheWholeRange() throws Exception {
    assertThat(
            success(
                sumBatch, step().withStepInputs(json("{'start_cursor': 800, 'end_cursor': 1000}"))))
        .isEqualTo(json("{'sum': 179900, 'items': 200}"));
  }

  @Test
  void plannedWorkersAddUpToTheTotal() throws Exception {
    Contexts totalCtx = step();
    for (JsonNode config : plan(1000, 200).at("/batch_processing_outcome/cursor_configs")) {
      JsonNode partial = runWorker(config, new ArrayList<>());
      totalCtx = totalCtx.withParent("sum_batch_" + config.get("batch_id").asText(), partial);
    }
    assertThat(success(new TotalHandler(), totalCtx))
        .isEqualTo(json("{'sum': 499500, 'items': 1000, 'batches': 5}"));
  }

  @Test
  void totalOfNoBatchesIsZero() throws Exception {
    assertThat(success(new TotalHandler(), step()))
        .isEqualTo(json("{'sum': 0, 'items': 0, 'batches': 0}"));
  }
}
