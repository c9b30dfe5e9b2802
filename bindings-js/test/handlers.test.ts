import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseJson, runHandler, type StepEvent, type StepHandler } from "../src/index.js";
import * as conformance from "./handlers/conformance.js";
import { sampleEvent } from "./support/events.js";

async function run(handler: StepHandler, event: Partial<StepEvent>): Promise<Record<string, any>> {
  const outcome = await runHandler(handler, sampleEvent(event));
  return parseJson(outcome.json) as Record<string, any>;
}

describe("conformance handlers (pure)", () => {
  it("square_input squares the configured input", async () => {
    const doc = await run(new conformance.SquareInput(), {});
    assert.deepEqual(doc["result"].result, { value: 36 });
  });

  it("square_parents writes a decimal string beyond 2^53-1 and reads it back", async () => {
    const first = await run(new conformance.SquareParents(), { dependency_results: { a: { value: 2821109907456 } } });
    assert.deepEqual(first["result"].result, { value: "7958661109946400884391936" });
    const second = await run(new conformance.SquareParents(), {
      dependency_results: { a: { value: "7958661109946400884391936" }, b: { value: 1 } },
    });
    assert.equal(second["result"].result.value, (7958661109946400884391936n ** 2n).toString());
  });

  it("sum_batch checkpoints every N items and resumes from the checkpoint", async () => {
    const inputs = { batch_id: "001", start_cursor: 0, end_cursor: 120, batch_size: 120 };
    const init = { checkpoint_every: 50 };
    const first = await run(new conformance.SumBatch(), { step_inputs: inputs, initialization: init });
    assert.deepEqual(first, { event_id: "ev-1", cursor: 50, items_processed: 50, accumulated_results: { sum: 1225 } });
    const last = await run(new conformance.SumBatch(), {
      step_inputs: inputs,
      initialization: init,
      checkpoint: { cursor: 100, items_processed: 100, accumulated_results: { sum: 4950 } },
    });
    assert.deepEqual(last["result"].result, { sum: 7140, items: 120 });
  });

  it("plan_batches splits the items into ranges", async () => {
    const doc = await run(new conformance.PlanBatches(), { task_context: { item_count: 450, batch_size: 200 } });
    const outcome = doc["result"].result.batch_processing_outcome;
    assert.equal(outcome.worker_count, 3);
    assert.deepEqual(outcome.cursor_configs[2], { batch_id: "003", start_cursor: 400, end_cursor: 450, batch_size: 50 });
  });

  it("validate_request fails permanently on a non-positive amount", async () => {
    const doc = await run(new conformance.ValidateRequest(), { task_context: { amount: -5 } });
    assert.equal(doc["result"].error.error_type, "validation_error");
    assert.equal(doc["result"].error.retryable, false);
  });

  it("scripted raise_exception fails retryably with the plain exception's class", async () => {
    const doc = await run(new conformance.Scripted(), { task_context: { mode: "raise_exception" } });
    assert.equal(doc["result"].error.message, "scripted exception");
    assert.equal(doc["result"].error.error_type, "Error");
    assert.equal(doc["result"].error.retryable, true);
  });
});
