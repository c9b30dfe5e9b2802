"""tasker for Python: step handlers, a worker and a client over the tasker core (libtasker)."""

from __future__ import annotations

__version__ = "0.1.0"

from ._native import init
from .client import Client
from .errors import (
    AlreadyCompletedError,
    ConflictError,
    EventExpiredError,
    InternalError,
    JvmError,
    LibraryLoadError,
    NotFoundError,
    NotInitializedError,
    NotRunningError,
    PermanentError,
    RetryableError,
    StepError,
    TaskerError,
    TaskTimeoutError,
    UnavailableError,
    UnknownEventError,
    ValidationError,
)
from .handler import (
    Checkpoint,
    CheckpointYield,
    Failure,
    StepContext,
    StepHandler,
    StepHandlerResult,
    Success,
)
from .registry import HandlerLoadError, HandlerRegistry
from .worker import Worker, WorkerConfig

__all__ = [
    "AlreadyCompletedError",
    "Checkpoint",
    "CheckpointYield",
    "Client",
    "ConflictError",
    "EventExpiredError",
    "Failure",
    "HandlerLoadError",
    "HandlerRegistry",
    "InternalError",
    "JvmError",
    "LibraryLoadError",
    "NotFoundError",
    "NotInitializedError",
    "NotRunningError",
    "PermanentError",
    "RetryableError",
    "StepContext",
    "StepError",
    "StepHandler",
    "StepHandlerResult",
    "Success",
    "TaskTimeoutError",
    "TaskerError",
    "UnavailableError",
    "UnknownEventError",
    "ValidationError",
    "Worker",
    "WorkerConfig",
    "__version__",
    "init",
]
