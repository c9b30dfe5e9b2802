/**
 * TaskerClient: tasks, steps and templates over `tasker_client` (`{"op", "args"}` of docs/abi.md;
 * the results are the REST API's documents). Every call runs off the event loop.
 */
import type { JsonValue } from "./json.js";
import { Libtasker, type NativeOptions } from "./native.js";

export type TaskState =
  | "pending"
  | "initializing"
  | "enqueuing_steps"
  | "steps_in_process"
  | "evaluating_results"
  | "waiting_for_dependencies"
  | "waiting_for_retry"
  | "blocked_by_failures"
  | "complete"
  | "error"
  | "cancelled"
  | "resolved_manually"
  | (string & {});

export interface StepError {
  readonly message: string;
  readonly error_type: string;
  readonly retryable: boolean;
}

export interface StepDocument {
  readonly step_uuid: string;
  readonly name: string;
  readonly state: string;
  readonly attempts: number;
  readonly max_attempts: number;
  readonly result: JsonValue;
  readonly error: StepError | null;
  readonly [key: string]: JsonValue | StepError | null | undefined;
}

export interface TaskDocument {
  readonly task_uuid: string;
  readonly namespace: string;
  readonly name: string;
  readonly version: string;
  readonly state: TaskState;
  readonly context: JsonValue;
  readonly created_at: string;
  readonly completed_at: string | null;
  readonly steps: readonly StepDocument[];
  readonly [key: string]: unknown;
}

export interface CreateTaskRequest {
  namespace: string;
  name: string;
  version?: string;
  context: Record<string, JsonValue>;
  initiator?: string;
  sourceSystem?: string;
  reason?: string;
  idempotencyKey?: string;
}

export interface TaskFilter {
  namespace?: string;
  name?: string;
  state?: string;
  limit?: number;
  offset?: number;
}

export type StepAction = "reset_for_retry" | "resolve_manually" | "complete_manually";

export class TaskerClient {
  constructor(private readonly lib: Libtasker = Libtasker.open()) {}

  /** A client over the package's libtasker (loaded and initialised on first use). */
  static open(options: NativeOptions = {}): TaskerClient {
    return new TaskerClient(Libtasker.open(options));
  }

  /** Sends any op of docs/abi.md; the typed methods below are shorthands. */
  request(op: string, args: Record<string, JsonValue> = {}): Promise<JsonValue> {
    return this.lib.client(op, args);
  }

  async createTask(req: CreateTaskRequest): Promise<TaskDocument> {
    const args: Record<string, JsonValue> = { namespace: req.namespace, name: req.name, context: req.context };
    if (req.version !== undefined) args["version"] = req.version;
    if (req.initiator !== undefined) args["initiator"] = req.initiator;
    if (req.sourceSystem !== undefined) args["source_system"] = req.sourceSystem;
    if (req.reason !== undefined) args["reason"] = req.reason;
    if (req.idempotencyKey !== undefined) args["idempotency_key"] = req.idempotencyKey;
    return (await this.request("task.create", args)) as unknown as TaskDocument;
  }

  async getTask(taskUuid: string): Promise<TaskDocument> {
    return (await this.request("task.get", { task_uuid: taskUuid })) as unknown as TaskDocument;
  }

  async listTasks(filter: TaskFilter = {}): Promise<{ tasks: TaskDocument[]; pagination: JsonValue }> {
    return (await this.request("task.list", { ...filter })) as unknown as { tasks: TaskDocument[]; pagination: JsonValue };
  }

  async cancelTask(taskUuid: string): Promise<TaskDocument> {
    return (await this.request("task.cancel", { task_uuid: taskUuid })) as unknown as TaskDocument;
  }

  /** The task once it is final; rejects with TimeoutError after `timeoutMs`. */
  async waitForTask(taskUuid: string, timeoutMs = 30_000): Promise<TaskDocument> {
    return (await this.request("task.wait", { task_uuid: taskUuid, timeout_ms: timeoutMs })) as unknown as TaskDocument;
  }

  async listSteps(taskUuid: string): Promise<StepDocument[]> {
    return (await this.request("step.list", { task_uuid: taskUuid })) as unknown as StepDocument[];
  }

  async getStep(taskUuid: string, stepUuid: string): Promise<StepDocument> {
    return (await this.request("step.get", { task_uuid: taskUuid, step_uuid: stepUuid })) as unknown as StepDocument;
  }

  /** An operator action on a step (`result` for complete_manually). */
  async updateStep(
    taskUuid: string,
    stepUuid: string,
    action: StepAction,
    options: { result?: JsonValue; reason?: string; operator?: string } = {},
  ): Promise<StepDocument> {
    const args: Record<string, JsonValue> = { task_uuid: taskUuid, step_uuid: stepUuid, action };
    if (options.result !== undefined) args["result"] = options.result;
    if (options.reason !== undefined) args["reason"] = options.reason;
    if (options.operator !== undefined) args["operator"] = options.operator;
    return (await this.request("step.update", args)) as unknown as StepDocument;
  }

  async listTemplates(namespace?: string): Promise<JsonValue[]> {
    return (await this.request("template.list", namespace === undefined ? {} : { namespace })) as JsonValue[];
  }

  async getTemplate(namespace: string, name: string, version?: string): Promise<JsonValue> {
    return this.request("template.get", version === undefined ? { namespace, name } : { namespace, name, version });
  }

  /** Registers a template from its YAML text. */
  async registerTemplate(yaml: string): Promise<JsonValue> {
    return this.request("template.register", { yaml });
  }

  async health(): Promise<JsonValue> {
    return this.request("health");
  }
}
