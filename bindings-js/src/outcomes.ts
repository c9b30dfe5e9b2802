/**
 * Runs one handler for one event and turns everything that can happen (a result, a thrown
 * PermanentError/RetryableError, any other exception, a value that is not a result, a missing
 * handler) into exactly one completion document of docs/abi.md. Nothing here throws.
 */
import { isRecord, PermanentError, RetryableError } from "./errors.js";
import { StepContext, type FailureResult, type StepEvent, type StepHandler, type StepHandlerResult } from "./handler.js";
import { stringifyJson, type JsonValue } from "./json.js";

/** What to send for an event: a completion (tasker_complete) or a checkpoint (tasker_checkpoint). */
export type Outcome =
  | { readonly kind: "complete"; readonly eventId: string; readonly json: string }
  | { readonly kind: "checkpoint"; readonly eventId: string; readonly json: string };

/** Runs `handler` (undefined: no handler registered for the event's callable) and builds the outcome. */
export async function runHandler(handler: StepHandler | undefined, event: StepEvent): Promise<Outcome> {
  const started = performance.now();
  if (handler === undefined) {
    return failed(event, started, {
      kind: "failure",
      message: `no handler for callable '${event.callable}' in this worker`,
      errorType: "handler_not_found",
      retryable: false,
    });
  }
  let result: unknown;
  try {
    result = await handler.call(new StepContext(event));
  } catch (error) {
    return failed(event, started, failureFromError(error), backtrace(error));
  }
  return outcomeOf(event, started, result);
}

/** The failure a thrown value stands for: error_type = the class name for plain exceptions. */
export function failureFromError(error: unknown): FailureResult {
  if (error instanceof PermanentError) {
    return { kind: "failure", message: error.message, errorType: error.errorType, retryable: false };
  }
  if (error instanceof RetryableError) {
    const base = { kind: "failure", message: error.message, errorType: error.errorType, retryable: true } as const;
    return error.retryAfter === undefined ? base : { ...base, retryAfter: error.retryAfter };
  }
  if (error instanceof Error) {
    const message = error.message === "" ? error.name : error.message;
    return { kind: "failure", message, errorType: error.constructor.name || error.name, retryable: true };
  }
  return { kind: "failure", message: `handler threw a non-Error value: ${describe(error)}`, errorType: "thrown_value", retryable: true };
}

function outcomeOf(event: StepEvent, started: number, result: unknown): Outcome {
  if (!isRecord(result) || typeof result["kind"] !== "string") {
    return invalid(event, started, `returned ${describe(result)}; expected this.success(...), this.failure(...) or this.checkpointYield(...)`);
  }
  const r = result as unknown as StepHandlerResult;
  try {
    switch (r.kind) {
      case "success": {
        const metadata = { ...(r.metadata ?? {}), execution_time_ms: elapsed(started) };
        const body = { success: true, status: "completed", result: r.result === undefined ? null : r.result, metadata };
        return complete(event, { event_id: event.event_id, result: body });
      }
      case "failure":
        if (typeof r.message !== "string" || typeof r.errorType !== "string" || typeof r.retryable !== "boolean") {
          return invalid(event, started, "returned a failure without a string message, string errorType and boolean retryable");
        }
        return failed(event, started, r);
      case "checkpoint_yield": {
        if (!Number.isSafeInteger(r.itemsProcessed) || r.itemsProcessed < 0) {
          return invalid(event, started, `returned a checkpoint with itemsProcessed ${describe(r.itemsProcessed)}; expected an integer >= 0`);
        }
        const json = stringifyJson({
          event_id: event.event_id,
          cursor: r.cursor ?? null,
          items_processed: r.itemsProcessed,
          accumulated_results: r.accumulatedResults ?? null,
        });
        return { kind: "checkpoint", eventId: event.event_id, json };
      }
      default:
        return invalid(event, started, `returned a result of unknown kind '${String((r as { kind: unknown }).kind)}'`);
    }
  } catch (error) {
    // JSON encoding failed (a cycle, a function, a symbol…): the result cannot be stored
    return invalid(event, started, `returned a result that is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function invalid(event: StepEvent, started: number, what: string): Outcome {
  return failed(event, started, {
    kind: "failure",
    message: `handler '${event.callable}' ${what}`,
    errorType: "invalid_result",
    retryable: false,
  });
}

/** A failed completion for `event`. Public for the worker, which fails what it cannot finish. */
export function failed(event: StepEvent, started: number, f: FailureResult, trace?: string[]): Outcome {
  const error: Record<string, JsonValue> = { message: f.message, error_type: f.errorType, retryable: f.retryable };
  if (trace !== undefined && trace.length > 0) error["backtrace"] = trace;
  if (f.statusCode !== undefined) error["status_code"] = f.statusCode;
  if (f.context !== undefined) error["context"] = f.context;
  const body: Record<string, JsonValue> = {
    success: false,
    status: "failed",
    result: null,
    error,
    metadata: { execution_time_ms: elapsed(started) },
  };
  if (f.retryAfter !== undefined) body["backoff_hint"] = { delay_seconds: f.retryAfter, reason: f.message };
  try {
    return complete(event, { event_id: event.event_id, result: body });
  } catch {
    // only `context` can be unencodable here; drop it rather than lose the completion
    delete error["context"];
    return complete(event, { event_id: event.event_id, result: body });
  }
}

function complete(event: StepEvent, completion: Record<string, JsonValue>): Outcome {
  return { kind: "complete", eventId: event.event_id, json: stringifyJson(completion) };
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}

function backtrace(error: unknown): string[] | undefined {
  if (!(error instanceof Error) || error.stack === undefined) return undefined;
  return error.stack
    .split("\n")
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .slice(0, 20);
}

function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (typeof value === "string") return `the string ${JSON.stringify(value.slice(0, 80))}`;
  if (typeof value === "object") return Array.isArray(value) ? "an array" : "an object without a result kind";
  return `${typeof value} ${String(value)}`;
}
