/**
 * Errors. `TaskerError` and its subclasses are what calls into libtasker throw (one class per ABI
 * status code of docs/abi.md); `PermanentError` and `RetryableError` are what handlers throw to fail
 * a step on purpose.
 */

/** One problem of a rejected document (a JSON path and what is wrong there). */
export interface ErrorDetail {
  readonly path?: string;
  readonly message: string;
}

/** Base class of every error raised by a libtasker call. */
export class TaskerError extends Error {
  /** The ABI status code (negative), e.g. -1 for {@link ValidationError}. */
  readonly code: number;
  /** The ABI's name for the code, e.g. `TASKER_E_INVALID` or the core's error type. */
  readonly type: string;
  /** The JSON path of the offending value, when the core named one. */
  readonly path: string | undefined;
  /** Further problems of the same document, when the core listed several. */
  readonly errors: readonly ErrorDetail[];
  /** The precise cause shared with REST and the CLI (e.g. `task_not_found`, `invalid_context`). */
  readonly reason: string | undefined;

  constructor(
    code: number,
    message: string,
    type = "",
    path?: string,
    errors: readonly ErrorDetail[] = [],
    reason?: string,
  ) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.type = type;
    this.path = path;
    this.errors = errors;
    this.reason = reason;
  }
}

export class ValidationError extends TaskerError {}
export class NotInitializedError extends TaskerError {}
export class NotRunningError extends TaskerError {}
export class UnknownEventError extends TaskerError {}
export class EventExpiredError extends TaskerError {}
export class AlreadyCompletedError extends TaskerError {}
export class JvmError extends TaskerError {}
export class NotFoundError extends TaskerError {}
export class ConflictError extends TaskerError {}
export class UnavailableError extends TaskerError {}
export class TimeoutError extends TaskerError {}
export class InternalError extends TaskerError {}

type TaskerErrorClass = new (
  code: number,
  message: string,
  type?: string,
  path?: string,
  errors?: readonly ErrorDetail[],
  reason?: string,
) => TaskerError;

const BY_CODE: ReadonlyMap<number, TaskerErrorClass> = new Map<number, TaskerErrorClass>([
  [-1, ValidationError],
  [-2, NotInitializedError],
  [-3, NotRunningError],
  [-4, UnknownEventError],
  [-5, EventExpiredError],
  [-6, AlreadyCompletedError],
  [-7, JvmError],
  [-8, NotFoundError],
  [-9, ConflictError],
  [-10, UnavailableError],
  [-11, TimeoutError],
  [-99, InternalError],
]);

/**
 * The typed error for an ABI status and its `{"error": {...}}` payload. A payload that is missing
 * or not the documented shape still gives the right class, with the raw text as message.
 */
export function errorFromStatus(status: number, payload: string | undefined): TaskerError {
  const cls = BY_CODE.get(status) ?? TaskerError;
  let body: unknown;
  try {
    body = payload === undefined ? undefined : JSON.parse(payload);
  } catch {
    body = undefined;
  }
  const error = isRecord(body) && isRecord(body["error"]) ? body["error"] : undefined;
  if (error === undefined) {
    const text = payload === undefined || payload === "" ? "no error document" : payload;
    return new cls(status, `libtasker status ${status}: ${text}`);
  }
  const message = typeof error["message"] === "string" ? error["message"] : `libtasker status ${status}`;
  const type = typeof error["type"] === "string" ? error["type"] : "";
  const path = typeof error["path"] === "string" ? error["path"] : undefined;
  const details = Array.isArray(error["errors"]) ? error["errors"].map(toDetail) : [];
  const reason = typeof error["reason"] === "string" ? error["reason"] : undefined;
  return new cls(status, message, type, path, details, reason);
}

function toDetail(value: unknown): ErrorDetail {
  if (isRecord(value)) {
    const message = typeof value["message"] === "string" ? value["message"] : JSON.stringify(value);
    return typeof value["path"] === "string" ? { path: value["path"], message } : { message };
  }
  return { message: String(value) };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Thrown by a handler: the step fails now, without further attempts. */
export class PermanentError extends Error {
  readonly errorType: string;

  constructor(message: string, options: { errorType?: string } = {}) {
    super(message);
    this.name = "PermanentError";
    this.errorType = options.errorType ?? "permanent_error";
  }
}

/** Thrown by a handler: this attempt failed; the core retries (after `retryAfter` seconds if given). */
export class RetryableError extends Error {
  readonly errorType: string;
  readonly retryAfter: number | undefined;

  constructor(message: string, options: { errorType?: string; retryAfter?: number } = {}) {
    super(message);
    this.name = "RetryableError";
    this.errorType = options.errorType ?? "retryable_error";
    this.retryAfter = options.retryAfter;
  }
}
