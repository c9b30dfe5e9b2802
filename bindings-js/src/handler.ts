/**
 * The handler API (DESIGN.md §8): subclass {@link StepHandler}, set `static handlerName`, implement
 * `call(ctx)` and return `this.success(...)`, `this.failure(...)`, `this.checkpointYield(...)` or a
 * decision/batch outcome; throw {@link PermanentError} / {@link RetryableError} to fail on purpose.
 */
import { isRecord } from "./errors.js";
import type { JsonValue } from "./json.js";

export { PermanentError, RetryableError } from "./errors.js";

/** A step event as `tasker_poll` delivers it (docs/abi.md). */
export interface StepEvent {
  readonly event_id: string;
  readonly task_uuid: string;
  readonly step_uuid: string;
  readonly correlation_id: string | null;
  readonly namespace: string;
  readonly task_name: string;
  readonly task_version: string;
  readonly step_name: string;
  readonly callable: string;
  readonly initialization: Readonly<Record<string, JsonValue>>;
  readonly task_context: Readonly<Record<string, JsonValue>>;
  readonly dependency_results: Readonly<Record<string, JsonValue>>;
  readonly step_inputs: Readonly<Record<string, JsonValue>>;
  readonly checkpoint: Checkpoint | null;
  readonly attempts: number;
  readonly max_attempts: number;
  readonly retry_count: number;
  readonly deadline_unix_ms: number;
  readonly trace_id: string | null;
  readonly span_id: string | null;
}

/** Where a step that yielded a checkpoint left off. */
export interface Checkpoint {
  readonly cursor: JsonValue;
  readonly items_processed: number;
  readonly accumulated_results: JsonValue;
}

/** What a handler sees of its step. */
export class StepContext {
  constructor(readonly event: StepEvent) {}

  get taskUuid(): string {
    return this.event.task_uuid;
  }
  get stepUuid(): string {
    return this.event.step_uuid;
  }
  get stepName(): string {
    return this.event.step_name;
  }
  get namespace(): string {
    return this.event.namespace;
  }
  get taskName(): string {
    return this.event.task_name;
  }
  /** Failed attempts before this one (0 on the first attempt). */
  get retryCount(): number {
    return this.event.retry_count;
  }
  get attempts(): number {
    return this.event.attempts;
  }
  get maxAttempts(): number {
    return this.event.max_attempts;
  }
  /** When the core gives up on this attempt (a late completion is rejected). */
  get deadline(): Date {
    return new Date(this.event.deadline_unix_ms);
  }
  get taskContext(): Readonly<Record<string, JsonValue>> {
    return this.event.task_context;
  }
  /** Parent step name → that parent's result (only parents that exist). */
  get dependencyResults(): Readonly<Record<string, JsonValue>> {
    return this.event.dependency_results;
  }
  /** The step's own inputs (a batch worker's `batch_id`, `start_cursor`, `end_cursor`, `batch_size`). */
  get stepInputs(): Readonly<Record<string, JsonValue>> {
    return this.event.step_inputs;
  }
  get checkpoint(): Checkpoint | null {
    return this.event.checkpoint;
  }

  /** A value of the task context (undefined when absent). */
  getInput<T extends JsonValue = JsonValue>(key: string): T | undefined {
    return own(this.event.task_context, key) as T | undefined;
  }

  /** The result of parent step `stepName` (undefined when that parent did not run). */
  getDependencyResult<T extends JsonValue = JsonValue>(stepName: string): T | undefined {
    return own(this.event.dependency_results, stepName) as T | undefined;
  }

  /** A value of the step's `handler.initialization` in the template. */
  getConfig<T extends JsonValue = JsonValue>(key: string): T | undefined {
    return own(this.event.initialization, key) as T | undefined;
  }
}

function own(record: Readonly<Record<string, JsonValue>>, key: string): JsonValue | undefined {
  return isRecord(record) && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The step succeeded with `result`. */
export interface SuccessResult {
  readonly kind: "success";
  readonly result: JsonValue;
  readonly metadata?: Readonly<Record<string, JsonValue>>;
}

/** This attempt failed; `retryable` decides whether the core tries again. */
export interface FailureResult {
  readonly kind: "failure";
  readonly message: string;
  readonly errorType: string;
  readonly retryable: boolean;
  /** Seconds before the next attempt (overrides the template's backoff). */
  readonly retryAfter?: number;
  readonly statusCode?: number;
  readonly context?: Readonly<Record<string, JsonValue>>;
}

/** Store a checkpoint; the core runs this step again, resuming from it (same attempt). */
export interface CheckpointYieldResult {
  readonly kind: "checkpoint_yield";
  readonly cursor: JsonValue;
  readonly itemsProcessed: number;
  readonly accumulatedResults: JsonValue;
}

export type StepHandlerResult = SuccessResult | FailureResult | CheckpointYieldResult;

export interface FailureOptions {
  errorType?: string;
  retryable?: boolean;
  retryAfter?: number;
  statusCode?: number;
  context?: Record<string, JsonValue>;
}

/** One batch worker's cursor range, as `batches()` takes it. */
export interface CursorConfig {
  readonly batch_id: string;
  readonly start_cursor: JsonValue;
  readonly end_cursor: JsonValue;
  readonly batch_size: number;
  readonly [key: string]: JsonValue;
}

/** Base class of TypeScript step handlers. */
export abstract class StepHandler {
  /** The callable this handler serves (the template's `handler.callable`). */
  static handlerName: string;

  abstract call(ctx: StepContext): Promise<StepHandlerResult> | StepHandlerResult;

  success(result: JsonValue = {}, metadata?: Record<string, JsonValue>): SuccessResult {
    return metadata === undefined ? { kind: "success", result } : { kind: "success", result, metadata };
  }

  /** A failed attempt; retryable unless `retryable: false` is given. */
  failure(message: string, options: FailureOptions = {}): FailureResult {
    return {
      kind: "failure",
      message,
      errorType: options.errorType ?? "step_failure",
      retryable: options.retryable ?? true,
      ...(options.retryAfter === undefined ? {} : { retryAfter: options.retryAfter }),
      ...(options.statusCode === undefined ? {} : { statusCode: options.statusCode }),
      ...(options.context === undefined ? {} : { context: options.context }),
    };
  }

  checkpointYield(cursor: JsonValue, itemsProcessed: number, accumulatedResults: JsonValue): CheckpointYieldResult {
    return { kind: "checkpoint_yield", cursor, itemsProcessed, accumulatedResults };
  }

  /** A decision step's outcome: create these named downstream steps (none: no branches). */
  decision(stepNames: readonly string[]): SuccessResult {
    const outcome: JsonValue =
      stepNames.length === 0 ? { type: "no_branches" } : { type: "create_steps", step_names: [...stepNames] };
    return this.success({ decision_point_outcome: outcome });
  }

  /** A batchable step's outcome: one worker per cursor config, built from `workerTemplateName`. */
  batches(workerTemplateName: string, cursorConfigs: readonly CursorConfig[], totalItems: number | bigint): SuccessResult {
    return this.success({
      batch_processing_outcome: {
        type: "create_batches",
        worker_template_name: workerTemplateName,
        worker_count: cursorConfigs.length,
        cursor_configs: cursorConfigs.map((c) => ({ ...c })),
        total_items: totalItems,
      },
    });
  }

  /** A batchable step's outcome when there is nothing to process. */
  noBatches(): SuccessResult {
    return this.success({ batch_processing_outcome: { type: "no_batches" } });
  }
}

/** A concrete handler class (what `--handlers DIR` looks for among a module's exports). */
export type StepHandlerClass = (new () => StepHandler) & { handlerName: string };
