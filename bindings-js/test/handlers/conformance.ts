/**
 * The conformance handlers (shared/conformance/README.md) in TypeScript: the same callables and
 * results as the Java ones in examples/. Integers beyond 2^53−1 travel as decimal strings; the
 * arithmetic is done in bigint.
 */
import {
  PermanentError,
  StepHandler,
  type CursorConfig,
  type JsonValue,
  type StepContext,
  type StepHandlerResult,
} from "../../src/index.js";

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** An integer given as a JSON number, a bigint or a decimal string. */
export function readBig(value: JsonValue | undefined, what: string): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^\s*-?\d+\s*$/.test(value)) return BigInt(value.trim());
  throw new PermanentError(`${what} must be an integer, got ${JSON.stringify(value) ?? "nothing"}`, {
    errorType: "validation_error",
  });
}

/** A number while |n| ≤ 2^53−1, else its decimal string. */
export function writeBig(n: bigint): number | string {
  return n <= MAX_SAFE && n >= -MAX_SAFE ? Number(n) : n.toString();
}

function amount(ctx: StepContext): number {
  return Number(readBig(ctx.getInput("amount"), "amount"));
}

function record(value: JsonValue | undefined): Record<string, JsonValue> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
}

export class SquareInput extends StepHandler {
  static override handlerName = "conformance.square_input";

  call(ctx: StepContext): StepHandlerResult {
    const key = ctx.getConfig("input_key");
    if (typeof key !== "string" || key === "") throw new PermanentError("initialization.input_key is required");
    const n = readBig(ctx.getInput(key), key);
    return this.success({ value: writeBig(n * n) });
  }
}

export class SquareParents extends StepHandler {
  static override handlerName = "conformance.square_parents";

  call(ctx: StepContext): StepHandlerResult {
    const parents = Object.entries(ctx.dependencyResults);
    if (parents.length === 0) throw new PermanentError("square_parents needs at least one parent step");
    let product = 1n;
    for (const [name, result] of parents) product *= readBig(record(result)["value"], name);
    return this.success({ value: writeBig(product * product) });
  }
}

export class ValidateRequest extends StepHandler {
  static override handlerName = "conformance.validate_request";

  call(ctx: StepContext): StepHandlerResult {
    const value = amount(ctx);
    if (value <= 0) throw new PermanentError(`amount must be positive, got ${value}`, { errorType: "validation_error" });
    return this.success({ amount: value });
  }
}

export class RoutingDecision extends StepHandler {
  static override handlerName = "conformance.routing_decision";

  call(ctx: StepContext): StepHandlerResult {
    const value = amount(ctx);
    if (value < 1000) return this.decision(["auto_approve"]);
    if (value < 5000) return this.decision(["manager_approval"]);
    return this.decision(["manager_approval", "finance_review"]);
  }
}

export class Approve extends StepHandler {
  static override handlerName = "conformance.approve";

  call(ctx: StepContext): StepHandlerResult {
    const approver = ctx.getConfig("approver");
    if (typeof approver !== "string" || approver === "") throw new PermanentError("initialization.approver is required");
    return this.success({ approver, amount: amount(ctx) });
  }
}

const APPROVAL_PATHS: Readonly<Record<string, string>> = {
  auto: "auto",
  manager: "manager_only",
  "finance,manager": "dual_approval",
};

export class FinalizeApproval extends StepHandler {
  static override handlerName = "conformance.finalize_approval";

  call(ctx: StepContext): StepHandlerResult {
    const approvers = Object.values(ctx.dependencyResults)
      .map((r) => record(r)["approver"])
      .filter((a): a is string => typeof a === "string")
      .sort();
    const path = APPROVAL_PATHS[approvers.join(",")];
    if (path === undefined) throw new PermanentError(`unexpected set of approvers: [${approvers.join(", ")}]`);
    return this.success({ approved: true, approval_path: path, approved_by: approvers });
  }
}

export class PlanBatches extends StepHandler {
  static override handlerName = "conformance.plan_batches";

  call(ctx: StepContext): StepHandlerResult {
    const itemCount = Number(readBig(ctx.getInput("item_count"), "item_count"));
    const batchSize = Number(readBig(ctx.getInput("batch_size"), "batch_size"));
    if (itemCount < 0 || batchSize < 1) {
      throw new PermanentError(`need item_count >= 0 and batch_size >= 1, got ${itemCount} and ${batchSize}`, {
        errorType: "validation_error",
      });
    }
    if (itemCount === 0) return this.noBatches();
    const configs: CursorConfig[] = [];
    for (let start = 0; start < itemCount; start += batchSize) {
      const end = Math.min(start + batchSize, itemCount);
      const batchId = String(configs.length + 1).padStart(3, "0");
      configs.push({ batch_id: batchId, start_cursor: start, end_cursor: end, batch_size: end - start });
    }
    return this.batches("sum_batch", configs, itemCount);
  }
}

export class SumBatch extends StepHandler {
  static override handlerName = "conformance.sum_batch";

  call(ctx: StepContext): StepHandlerResult {
    const start = Number(readBig(ctx.stepInputs["start_cursor"], "start_cursor"));
    const end = Number(readBig(ctx.stepInputs["end_cursor"], "end_cursor"));
    const everyConfig = ctx.getConfig("checkpoint_every");
    const every = typeof everyConfig === "number" && everyConfig > 0 ? everyConfig : Number.MAX_SAFE_INTEGER;
    let cursor = start;
    let processed = 0;
    let sum = 0n;
    const checkpoint = ctx.checkpoint;
    if (checkpoint !== null) {
      cursor = Number(readBig(checkpoint.cursor, "checkpoint cursor"));
      processed = checkpoint.items_processed;
      sum = readBig(record(checkpoint.accumulated_results)["sum"], "checkpoint sum");
    }
    if (start > end || cursor < start || cursor > end) {
      throw new PermanentError(`bad cursor ${cursor} for range [${start}, ${end})`, { errorType: "validation_error" });
    }
    const stop = end - cursor <= every ? end : cursor + every;
    for (let i = cursor; i < stop; i++) sum += BigInt(i);
    processed += stop - cursor;
    if (stop < end) return this.checkpointYield(stop, processed, { sum: writeBig(sum) });
    return this.success({ sum: writeBig(sum), items: end - start });
  }
}

export class Total extends StepHandler {
  static override handlerName = "conformance.total";

  call(ctx: StepContext): StepHandlerResult {
    let sum = 0n;
    let items = 0;
    let batches = 0;
    for (const [name, value] of Object.entries(ctx.dependencyResults)) {
      const result = record(value);
      if (!("sum" in result)) continue; // not a batch worker
      sum += readBig(result["sum"], `${name}.sum`);
      items += Number(readBig(result["items"], `${name}.items`));
      batches++;
    }
    return this.success({ sum: writeBig(sum), items, batches });
  }
}

export class Scripted extends StepHandler {
  static override handlerName = "conformance.scripted";

  async call(ctx: StepContext): Promise<StepHandlerResult> {
    const mode = ctx.getInput("mode");
    switch (mode) {
      case "succeed_on_third_attempt":
        return ctx.retryCount < 2
          ? this.failure("not yet", { errorType: "transient", retryable: true })
          : this.success({ value: 3 });
      case "permanent_failure":
        throw new PermanentError("scripted permanent failure");
      case "always_retryable":
        return this.failure("scripted retryable failure", { errorType: "transient", retryable: true });
      case "raise_exception":
        throw new Error("scripted exception");
      case "sleep_past_timeout":
        await new Promise((resolve) => setTimeout(resolve, 5000)); // timeout_seconds is 2: the core gives up first
        return this.success({ value: 3 });
      default:
        throw new PermanentError(`unknown mode '${String(mode)}'`);
    }
  }
}
