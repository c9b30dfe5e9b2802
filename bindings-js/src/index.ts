/** tasker-core-ts: TypeScript step handlers and clients for tasker. */
export {
  AlreadyCompletedError,
  ConflictError,
  errorFromStatus,
  EventExpiredError,
  InternalError,
  JvmError,
  NotFoundError,
  NotInitializedError,
  NotRunningError,
  PermanentError,
  RetryableError,
  TaskerError,
  TimeoutError,
  UnavailableError,
  UnknownEventError,
  ValidationError,
  type ErrorDetail,
} from "./errors.js";
export {
  StepContext,
  StepHandler,
  type Checkpoint,
  type CheckpointYieldResult,
  type CursorConfig,
  type FailureOptions,
  type FailureResult,
  type StepEvent,
  type StepHandlerClass,
  type StepHandlerResult,
  type SuccessResult,
} from "./handler.js";
export { parseJson, stringifyJson, type JsonValue } from "./json.js";
export { ABI_VERSION, Libtasker, locateNative, type LogLevel, type NativeOptions } from "./native.js";
export { runHandler, failureFromError, type Outcome } from "./outcomes.js";
export { HandlerRegistry, loadHandlers, handlerFiles, isHandlerClass } from "./registry.js";
export { Worker, type WorkerOptions, type WorkerStats } from "./worker.js";
export {
  TaskerClient,
  type CreateTaskRequest,
  type StepAction,
  type StepDocument,
  type TaskDocument,
  type TaskFilter,
  type TaskState,
} from "./client.js";
