"""Exceptions: the ABI's status codes as Python classes, and the errors handlers raise."""

from __future__ import annotations

from typing import Any


class TaskerError(Exception):
    """Base of every error the native library reports; ``code`` is the ABI status code."""

    code: int = -99
    type_name: str = "TASKER_E_INTERNAL"

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        reason: str | None = None,
        details: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.reason = reason
        self.details = details


class ValidationError(TaskerError):
    code, type_name = -1, "TASKER_E_INVALID"


class NotInitializedError(TaskerError):
    code, type_name = -2, "TASKER_E_NOT_INITIALIZED"


class NotRunningError(TaskerError):
    code, type_name = -3, "TASKER_E_NOT_RUNNING"


class UnknownEventError(TaskerError):
    code, type_name = -4, "TASKER_E_UNKNOWN_EVENT"


class EventExpiredError(TaskerError):
    code, type_name = -5, "TASKER_E_EXPIRED"


class AlreadyCompletedError(TaskerError):
    code, type_name = -6, "TASKER_E_ALREADY_COMPLETED"


class JvmError(TaskerError):
    code, type_name = -7, "TASKER_E_JVM"


class NotFoundError(TaskerError):
    code, type_name = -8, "TASKER_E_NOT_FOUND"


class ConflictError(TaskerError):
    code, type_name = -9, "TASKER_E_CONFLICT"


class UnavailableError(TaskerError):
    code, type_name = -10, "TASKER_E_UNAVAILABLE"


class TaskTimeoutError(TaskerError):
    code, type_name = -11, "TASKER_E_TIMEOUT"


class InternalError(TaskerError):
    code, type_name = -99, "TASKER_E_INTERNAL"


class LibraryLoadError(TaskerError):
    """libtasker.so (or the core jar) was not found, could not be loaded, or has the wrong ABI."""

    code, type_name = -7, "TASKER_E_JVM"


_BY_CODE: dict[int, type[TaskerError]] = {
    cls.code: cls
    for cls in (
        ValidationError,
        NotInitializedError,
        NotRunningError,
        UnknownEventError,
        EventExpiredError,
        AlreadyCompletedError,
        JvmError,
        NotFoundError,
        ConflictError,
        UnavailableError,
        TaskTimeoutError,
        InternalError,
    )
}


def error_for_status(status: int, document: Any) -> TaskerError:
    """The exception for a negative status and the ``{"error": {...}}`` document that came with it."""
    cls = _BY_CODE.get(status, InternalError)
    error = document.get("error") if isinstance(document, dict) else None
    if not isinstance(error, dict):
        return cls(f"tasker call failed with status {status} and no error document")
    message = str(error.get("message") or error.get("type") or f"status {status}")
    path = error.get("path")
    reason = error.get("reason")
    return cls(
        message,
        path=path if isinstance(path, str) else None,
        reason=reason if isinstance(reason, str) else None,
        details=error.get("errors"),
    )


class StepError(Exception):
    """Raised by a handler to fail its step with a chosen ``error_type``; see the two subclasses."""

    retryable: bool = True

    def __init__(
        self, message: str, *, error_type: str, context: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.error_type = error_type
        self.context = context


class PermanentError(StepError):
    """The step fails for good: retrying cannot help (bad input, a business rule said no)."""

    retryable = False

    def __init__(
        self,
        message: str,
        *,
        error_type: str = "permanent_error",
        context: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message, error_type=error_type, context=context)


class RetryableError(StepError):
    """This attempt failed; the core retries it, after ``retry_after`` seconds when given."""

    retryable = True

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        error_type: str = "retryable_error",
        context: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message, error_type=error_type, context=context)
        if retry_after is not None and retry_after < 0:
            raise ValueError(f"retry_after must be >= 0 seconds, got {retry_after}")
        self.retry_after = retry_after
