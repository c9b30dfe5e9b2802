"""The handler API: ``StepHandler`` subclasses read a ``StepContext`` and return a
``StepHandlerResult`` (``Success``, ``Failure`` or ``CheckpointYield``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Mapping, Sequence
from typing import Any, ClassVar, Union

__all__ = [
    "Checkpoint",
    "CheckpointYield",
    "Failure",
    "StepContext",
    "StepHandler",
    "StepHandlerResult",
    "Success",
]


@dataclasses.dataclass(frozen=True)
class Checkpoint:
    """What a previous invocation of this step stored with ``checkpoint_yield``."""

    cursor: Any
    items_processed: int
    accumulated_results: Any


class StepContext:
    """Everything a handler may read about its step, built from one step event of the core."""

    __slots__ = ("_event", "checkpoint", "dependency_results", "step_inputs", "task_context")

    def __init__(self, event: Mapping[str, Any]) -> None:
        self._event = event
        self.task_context: dict[str, Any] = _mapping(event.get("task_context"))
        self.dependency_results: dict[str, Any] = _mapping(event.get("dependency_results"))
        self.step_inputs: dict[str, Any] = _mapping(event.get("step_inputs"))
        raw = event.get("checkpoint")
        self.checkpoint: Checkpoint | None = (
            Checkpoint(
                cursor=raw.get("cursor"),
                items_processed=int(raw.get("items_processed") or 0),
                accumulated_results=raw.get("accumulated_results"),
            )
            if isinstance(raw, Mapping)
            else None
        )

    @property
    def event_id(self) -> str:
        return str(self._event.get("event_id", ""))

    @property
    def task_uuid(self) -> str:
        return str(self._event.get("task_uuid", ""))

    @property
    def step_uuid(self) -> str:
        return str(self._event.get("step_uuid", ""))

    @property
    def correlation_id(self) -> str | None:
        value = self._event.get("correlation_id")
        return None if value is None else str(value)

    @property
    def namespace(self) -> str:
        return str(self._event.get("namespace", ""))

    @property
    def task_name(self) -> str:
        return str(self._event.get("task_name", ""))

    @property
    def step_name(self) -> str:
        return str(self._event.get("step_name", ""))

    @property
    def callable(self) -> str:
        return str(self._event.get("callable", ""))

    @property
    def initialization(self) -> dict[str, Any]:
        return _mapping(self._event.get("initialization"))

    @property
    def attempts(self) -> int:
        """This attempt's number, starting at 1."""
        return int(self._event.get("attempts") or 1)

    @property
    def max_attempts(self) -> int:
        return int(self._event.get("max_attempts") or 1)

    @property
    def retry_count(self) -> int:
        """Attempts before this one (0 on the first attempt)."""
        value = self._event.get("retry_count")
        return int(value) if value is not None else self.attempts - 1

    @property
    def deadline_unix_ms(self) -> int | None:
        value = self._event.get("deadline_unix_ms")
        return None if value is None else int(value)

    def get_input(self, key: str, default: Any = None) -> Any:
        """A key of the task context."""
        return self.task_context.get(key, default)

    def get_dependency_result(self, step_name: str, default: Any = None) -> Any:
        """The result of parent step ``step_name``; ``default`` when that parent does not exist."""
        return self.dependency_results.get(step_name, default)

    def get_config(self, key: str, default: Any = None) -> Any:
        """A key of the step's ``handler.initialization`` in the template."""
        return self.initialization.get(key, default)

    def __repr__(self) -> str:
        return (
            f"StepContext(task_uuid={self.task_uuid!r}, step_name={self.step_name!r}, "
            f"attempts={self.attempts})"
        )


def _mapping(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {}


@dataclasses.dataclass(frozen=True)
class Success:
    """The step succeeded with ``result`` (any JSON value, usually a dict)."""

    result: Any = None
    metadata: Mapping[str, Any] | None = None


@dataclasses.dataclass(frozen=True)
class Failure:
    """This attempt failed. ``retryable`` is authoritative; ``retry_after`` (seconds) overrides
    the template's backoff for the next attempt."""

    message: str
    error_type: str = "step_failure"
    retryable: bool = True
    retry_after: float | None = None
    status_code: int | None = None
    context: Mapping[str, Any] | None = None
    backtrace: Sequence[str] | None = None


@dataclasses.dataclass(frozen=True)
class CheckpointYield:
    """Store a checkpoint and run this step again (same attempt), resuming from it."""

    cursor: Any
    items_processed: int
    accumulated_results: Any = None


StepHandlerResult = Union[Success, Failure, CheckpointYield]
"""What ``StepHandler.call`` returns: exactly one of the three outcome classes."""

RESULT_TYPES = (Success, Failure, CheckpointYield)


class StepHandler:
    """Base class of every Python handler.

    Subclasses set ``handler_name`` (the template's ``handler.callable``; ``module.ClassName``
    also finds the class) and implement ``call(self, context)``, plain or ``async def``.
    Raise ``PermanentError`` to fail for good, ``RetryableError(retry_after=…)`` to retry;
    any other exception fails the attempt as retryable with the exception's class name as
    ``error_type``.
    """

    handler_name: ClassVar[str] = ""

    def call(self, context: StepContext) -> StepHandlerResult | Awaitable[StepHandlerResult]:
        raise NotImplementedError(f"{type(self).__name__} must implement call(self, context)")

    def success(self, result: Any = None, metadata: Mapping[str, Any] | None = None) -> Success:
        return Success(result={} if result is None else result, metadata=metadata)

    def failure(
        self,
        message: str,
        error_type: str = "step_failure",
        retryable: bool = True,
        *,
        retry_after: float | None = None,
        status_code: int | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> Failure:
        return Failure(
            message=message,
            error_type=error_type,
            retryable=retryable,
            retry_after=retry_after,
            status_code=status_code,
            context=context,
        )

    def checkpoint_yield(
        self, cursor: Any, items_processed: int, accumulated_results: Any = None
    ) -> CheckpointYield:
        return CheckpointYield(cursor, items_processed, accumulated_results)

    def decision(self, step_names: Sequence[str]) -> Success:
        """A decision step's outcome: the core creates these named downstream steps."""
        return Success(
            {"decision_point_outcome": {"type": "create_steps", "step_names": list(step_names)}}
        )

    def batches(
        self,
        worker_template_name: str,
        cursor_configs: Sequence[Mapping[str, Any]],
        total_items: int,
    ) -> Success:
        """A batchable step's outcome: one ``worker_template_name`` worker per cursor config."""
        return Success(
            {
                "batch_processing_outcome": {
                    "type": "create_batches",
                    "worker_template_name": worker_template_name,
                    "worker_count": len(cursor_configs),
                    "cursor_configs": [dict(c) for c in cursor_configs],
                    "total_items": total_items,
                }
            }
        )

    def no_batches(self) -> Success:
        """A batchable step's outcome when there is nothing to split."""
        return Success({"batch_processing_outcome": {"type": "no_batches"}})
