import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  parseJson,
  PermanentError,
  RetryableError,
  runHandler,
  StepHandler,
  type StepContext,
  type StepEvent,
  type StepHandlerResult,
} from "../src/index.js";
import { sampleEvent } from "./support/events.js";

class Fixed extends StepHandler {
  static override handlerName = "test.fixed";
  constructor(private readonly behave: (ctx: StepContext, self: StepHandler) => unknown) {
    super();
  }
  call(ctx: StepContext): Promise<StepHandlerResult> {
    return Promise.resolve(this.behave(ctx, this) as StepHandlerResult);
  }
}

async function outcome(behave: (ctx: StepContext, self: StepHandler) => unknown, event: StepEvent = sampleEvent()) {
  const o = await runHandler(new Fixed(behave), event);
  return { kind: o.kind, eventId: o.eventId, doc: parseJson(o.json) as Record<string, any> };
}

describe("runHandler", () => {
  it("turns success into a completed completion with execution time", async () => {
    const { kind, doc } = await outcome((ctx, h) => h.success({ value: 2n ** 60n, n: ctx.getInput("even_number") ?? null }));
    assert.equal(kind, "complete");
    assert.equal(doc["event_id"], "ev-1");
    assert.equal(doc["result"].success, true);
    assert.equal(doc["result"].status, "completed");
    assert.deepEqual(doc["result"].result, { value: 2n ** 60n, n: 6 });
    assert.equal(typeof doc["result"].metadata.execution_time_ms, "number");
  });

  it("passes failure options through (retry-after as backoff hint)", async () => {
    const { doc } = await outcome((_c, h) =>
      h.failure("rate limited", { errorType: "http_429", retryable: true, retryAfter: 3, statusCode: 429, context: { a: 1 } }),
    );
    assert.equal(doc["result"].success, false);
    assert.equal(doc["result"].status, "failed");
    assert.equal(doc["result"].result, null);
    assert.deepEqual(doc["result"].error, {
      message: "rate limited",
      error_type: "http_429",
      retryable: true,
      status_code: 429,
      context: { a: 1 },
    });
    assert.deepEqual(doc["result"].backoff_hint, { delay_seconds: 3, reason: "rate limited" });
  });

  it("a PermanentError is a non-retryable failure with its error type", async () => {
    const { doc } = await outcome(() => {
      throw new PermanentError("bad input", { errorType: "validation_error" });
    });
    assert.equal(doc["result"].error.error_type, "validation_error");
    assert.equal(doc["result"].error.retryable, false);
    assert.equal(doc["result"].error.message, "bad input");
  });

  it("a RetryableError is retryable, with its retry-after", async () => {
    const { doc } = await outcome(() => {
      throw new RetryableError("busy", { retryAfter: 2 });
    });
    assert.equal(doc["result"].error.error_type, "retryable_error");
    assert.equal(doc["result"].error.retryable, true);
    assert.equal(doc["result"].backoff_hint.delay_seconds, 2);
  });

  it("a plain exception is retryable, typed by its class name, with a backtrace", async () => {
    const { doc } = await outcome(() => {
      throw new TypeError("scripted exception");
    });
    assert.equal(doc["result"].error.error_type, "TypeError");
    assert.equal(doc["result"].error.retryable, true);
    assert.equal(doc["result"].error.message, "scripted exception");
    assert.ok(Array.isArray(doc["result"].error.backtrace) && doc["result"].error.backtrace.length > 0);
  });

  it("a thrown non-Error value still gives one failed completion", async () => {
    const { doc } = await outcome(() => {
      throw "oops";
    });
    assert.equal(doc["result"].error.error_type, "thrown_value");
    assert.match(doc["result"].error.message, /oops/);
  });

  it("garbage results are precise non-retryable invalid_result failures", async () => {
    const cases: [unknown, RegExp][] = [
      [undefined, /returned undefined/],
      [42, /returned number 42/],
      [{ value: 1 }, /object without a result kind/],
      [{ kind: "weird" }, /unknown kind 'weird'/],
      [{ kind: "failure", message: 5 }, /without a string message/],
      [{ kind: "checkpoint_yield", cursor: 1, itemsProcessed: -1 }, /itemsProcessed number -1/],
    ];
    for (const [value, message] of cases) {
      const { kind, doc } = await outcome(() => value);
      assert.equal(kind, "complete");
      assert.equal(doc["result"].error.error_type, "invalid_result", String(value));
      assert.equal(doc["result"].error.retryable, false);
      assert.match(doc["result"].error.message, message);
      assert.match(doc["result"].error.message, /handler 'conformance.square_input'/);
    }
  });

  it("a result that is not JSON fails the step instead of escaping", async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic["me"] = cyclic;
    const { doc } = await outcome((_c, h) => h.success(cyclic as never));
    assert.equal(doc["result"].error.error_type, "invalid_result");
    assert.match(doc["result"].error.message, /not JSON/);
  });

  it("a checkpoint yield becomes a tasker_checkpoint document", async () => {
    const { kind, doc } = await outcome((_c, h) => h.checkpointYield(50, 50, { sum: 1225 }));
    assert.equal(kind, "checkpoint");
    assert.deepEqual(doc, { event_id: "ev-1", cursor: 50, items_processed: 50, accumulated_results: { sum: 1225 } });
  });

  it("a missing handler is a non-retryable handler_not_found failure", async () => {
    const o = await runHandler(undefined, sampleEvent({ callable: "nobody.home" }));
    const doc = parseJson(o.json) as Record<string, any>;
    assert.equal(doc["result"].error.error_type, "handler_not_found");
    assert.equal(doc["result"].error.retryable, false);
    assert.match(doc["result"].error.message, /nobody\.home/);
  });
});

describe("StepHandler outcome helpers", () => {
  const h = new Fixed(() => null);
  it("builds decision outcomes", () => {
    assert.deepEqual(h.decision(["a", "b"]).result, { decision_point_outcome: { type: "create_steps", step_names: ["a", "b"] } });
    assert.deepEqual(h.decision([]).result, { decision_point_outcome: { type: "no_branches" } });
  });
  it("builds batch outcomes", () => {
    const configs = [{ batch_id: "001", start_cursor: 0, end_cursor: 10, batch_size: 10 }];
    assert.deepEqual(h.batches("w", configs, 10).result, {
      batch_processing_outcome: { type: "create_batches", worker_template_name: "w", worker_count: 1, cursor_configs: configs, total_items: 10 },
    });
    assert.deepEqual(h.noBatches().result, { batch_processing_outcome: { type: "no_batches" } });
  });
  it("failure defaults to retryable", () => {
    assert.deepEqual(h.failure("x"), { kind: "failure", message: "x", errorType: "step_failure", retryable: true });
  });
});
