"""Turns whatever a handler did (returned an outcome, raised, returned garbage, was missing) into
exactly one completion document of the ABI, encoded to JSON bytes. Nothing here raises."""

from __future__ import annotations

import json
import traceback
from typing import Any

from .errors import StepError
from .handler import CheckpointYield, Failure, Success

_MAX_BACKTRACE_LINES = 50


def _dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), allow_nan=False).encode("utf-8")


def failure_from_exception(exc: BaseException) -> Failure:
    """``PermanentError``/``RetryableError`` keep their flags; anything else is retryable with the
    exception's class name as ``error_type``."""
    backtrace = [
        line.rstrip("\n") for line in traceback.format_exception(type(exc), exc, exc.__traceback__)
    ][-_MAX_BACKTRACE_LINES:]
    if isinstance(exc, StepError):
        return Failure(
            message=exc.message,
            error_type=exc.error_type,
            retryable=exc.retryable,
            retry_after=getattr(exc, "retry_after", None),
            context=exc.context,
            backtrace=backtrace,
        )
    message = str(exc) or type(exc).__name__
    return Failure(
        message=message, error_type=type(exc).__name__, retryable=True, backtrace=backtrace
    )


def invalid_result(callable_name: str, value: Any) -> Failure:
    return Failure(
        message=(
            f"handler '{callable_name}' returned {type(value).__name__} "
            f"({_short_repr(value)}); expected a StepHandlerResult "
            "(self.success(...), self.failure(...) or self.checkpoint_yield(...))"
        ),
        error_type="invalid_result",
        retryable=False,
    )


def handler_not_found(callable_name: str) -> Failure:
    return Failure(
        message=f"no handler for callable '{callable_name}' in this worker",
        error_type="handler_not_found",
        retryable=False,
    )


def worker_shutdown() -> Failure:
    return Failure(
        message="worker shut down before the handler finished",
        error_type="worker_shutdown",
        retryable=True,
    )


def _short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _failure_document(failure: Failure, elapsed_ms: float) -> dict[str, Any]:
    error: dict[str, Any] = {
        "message": str(failure.message),
        "error_type": str(failure.error_type),
        "retryable": bool(failure.retryable),
    }
    if failure.backtrace:
        error["backtrace"] = [str(line) for line in failure.backtrace]
    if failure.status_code is not None:
        error["status_code"] = int(failure.status_code)
    if failure.context is not None:
        error["context"] = dict(failure.context)
    document: dict[str, Any] = {
        "success": False,
        "status": "failed",
        "result": None,
        "error": error,
        "metadata": {"execution_time_ms": round(elapsed_ms, 3)},
    }
    if failure.retry_after is not None:
        document["backoff_hint"] = {
            "delay_seconds": float(failure.retry_after),
            "reason": str(failure.message),
        }
    return document


def _success_document(success: Success, elapsed_ms: float) -> dict[str, Any]:
    metadata: dict[str, Any] = dict(success.metadata or {})
    metadata["execution_time_ms"] = round(elapsed_ms, 3)
    return {
        "success": True,
        "status": "completed",
        "result": success.result,
        "metadata": metadata,
    }


def encode_completion(
    event_id: str, outcome: Success | Failure, elapsed_ms: float, callable_name: str
) -> bytes:
    """The completion ``{"event_id", "result"}`` as JSON bytes. A success whose result is not
    JSON (a set, a NaN, an object) becomes a failed completion that says so."""
    if isinstance(outcome, Success):
        try:
            return _dumps({"event_id": event_id, "result": _success_document(outcome, elapsed_ms)})
        except (TypeError, ValueError) as e:
            outcome = Failure(
                message=f"handler '{callable_name}' returned a result that is not JSON: {e}",
                error_type="invalid_result",
                retryable=False,
            )
    try:
        return _dumps({"event_id": event_id, "result": _failure_document(outcome, elapsed_ms)})
    except (TypeError, ValueError) as e:
        plain = Failure(
            message=f"{outcome.message} (error context dropped: not JSON: {e})",
            error_type=str(outcome.error_type),
            retryable=bool(outcome.retryable),
        )
        return _dumps({"event_id": event_id, "result": _failure_document(plain, elapsed_ms)})


def encode_checkpoint(event_id: str, outcome: CheckpointYield, callable_name: str) -> bytes | None:
    """The ``tasker_checkpoint`` payload, or None when the checkpoint is not JSON (the caller
    then fails the event instead)."""
    try:
        return _dumps(
            {
                "event_id": event_id,
                "cursor": outcome.cursor,
                "items_processed": int(outcome.items_processed),
                "accumulated_results": outcome.accumulated_results,
            }
        )
    except (TypeError, ValueError):
        return None


def invalid_checkpoint(callable_name: str) -> Failure:
    return Failure(
        message=f"handler '{callable_name}' yielded a checkpoint that is not JSON",
        error_type="invalid_result",
        retryable=False,
    )
