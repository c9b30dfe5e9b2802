"""The worker loop: poll events in batches (GIL released inside the C call), run handlers on a
thread pool (``async def`` handlers on one asyncio loop thread), complete in batches (whatever
finished while a ``tasker_complete`` was under way goes in the next one), and shut down in the
order the ABI asks for."""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import logging
import threading
import time
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import _native
from ._executors import AsyncLoop, HandlerThreads
from .errors import (
    EventExpiredError,
    InternalError,
    NotRunningError,
    TaskerError,
    UnavailableError,
    ValidationError,
)
from .handler import RESULT_TYPES, CheckpointYield, Failure, StepContext, StepHandler, Success
from .outcomes import (
    encode_checkpoint,
    encode_completion,
    failure_from_exception,
    handler_not_found,
    invalid_checkpoint,
    invalid_result,
    worker_shutdown,
)
from .registry import HandlerRegistry

log = logging.getLogger("tasker_core.worker")

_MAX_BATCH = 256
_IDLE_SLEEP_SECONDS = 0.005
_MAX_POLL = 1000  # tasker_poll takes at most 1000 events per call


@dataclass
class WorkerConfig:
    """How a worker runs; ``namespaces`` may be empty when ``templates_dir`` names them."""

    namespaces: list[str] = field(default_factory=list)
    templates_dir: str | None = None
    concurrency: int = 8
    database_url: str | None = None
    poll_timeout_ms: int = 100
    grace_seconds: float = 10.0
    default_timeout_seconds: int | None = None
    with_orchestrator: bool = False

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, got {self.concurrency}")
        if not self.namespaces and not self.templates_dir:
            raise ValueError("give at least one namespace or a templates directory")

    def start_document(self, handler_names: list[str]) -> dict[str, Any]:
        doc: dict[str, Any] = {"handlers": handler_names, "concurrency": self.concurrency}
        if self.namespaces:
            doc["namespaces"] = list(self.namespaces)
        if self.templates_dir:
            doc["templates_dir"] = self.templates_dir
        if self.database_url:
            doc["database_url"] = self.database_url
        if self.default_timeout_seconds:
            doc["default_timeout_seconds"] = self.default_timeout_seconds
        if self.with_orchestrator:
            doc["with_orchestrator"] = True
        return doc


@dataclass
class _InFlight:
    event_id: str
    callable: str
    started: float


@dataclass
class WorkerStats:
    dispatched: int = 0
    succeeded: int = 0
    failed: int = 0
    checkpoints: int = 0
    rejected: int = 0


class Worker:
    """Runs the handlers of ``registry`` for the namespaces of ``config`` until stopped."""

    def __init__(
        self,
        registry: HandlerRegistry,
        config: WorkerConfig,
        native: _native.NativeLibrary | None = None,
    ) -> None:
        self.registry = registry
        self.config = config
        self.stats = WorkerStats()
        self._native = native
        self._slots = threading.Condition()
        self._in_flight: dict[str, _InFlight] = {}
        # completions waiting to be sent, and whether a thread is sending (see _send)
        self._outbox: list[bytes | tuple[str, bytes]] = []
        self._outbox_changed = threading.Condition()
        self._sending = False
        self._stopping = threading.Event()
        self._threads: HandlerThreads | None = None
        self._async: AsyncLoop | None = None
        self._async_lock = threading.Lock()
        self.start_info: Any = None
        self.fatal: TaskerError | None = None

    @property
    def native(self) -> _native.NativeLibrary:
        if self._native is None:
            self._native = _native.runtime()
        return self._native

    def start(self) -> Any:
        """Starts the core's worker (registers templates, claims for our namespaces)."""
        self.start_info = self.native.worker_start(
            self.config.start_document(self.registry.names())
        )
        self._threads = HandlerThreads(self.config.concurrency)
        log.info(
            "tasker worker started: namespaces %s, %d handler(s), concurrency %d",
            ", ".join(
                self.start_info.get("namespaces", []) if isinstance(self.start_info, dict) else []
            ),
            len(self.registry),
            self.config.concurrency,
        )
        log.debug("handlers: %s", ", ".join(self.registry.names()))
        return self.start_info

    def request_stop(self) -> None:
        """Stops polling; ``run`` returns after its current poll (at most ``poll_timeout_ms``)."""
        self._stopping.set()
        with self._slots:
            self._slots.notify_all()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def in_flight(self) -> int:
        with self._slots:
            return len(self._in_flight)

    def run(self) -> None:
        """The poll loop, on the calling thread, until ``request_stop``."""
        while not self._stopping.is_set():
            free = self._wait_for_free_slots()
            if free == 0:
                continue
            wait_ms = self.config.poll_timeout_ms if _native.CALLS_RELEASE_GIL else 0
            try:
                events = self.native.poll(min(free, _MAX_POLL), wait_ms)
            except (UnavailableError, NotRunningError, InternalError) as e:
                log.warning("poll failed (%s: %s); retrying shortly", type(e).__name__, e)
                self._stopping.wait(0.5)
                continue
            except TaskerError as e:
                log.error("poll failed for good (%s: %s); stopping", type(e).__name__, e)
                self.fatal = e
                self.request_stop()
                return
            for event in events:
                self._dispatch(event)
            if not events and wait_ms == 0:
                self._stopping.wait(_IDLE_SLEEP_SECONDS)  # lets handler threads have the GIL

    def _wait_for_free_slots(self) -> int:
        with self._slots:
            while len(self._in_flight) >= self.config.concurrency and not self._stopping.is_set():
                self._slots.wait(0.1)
            return 0 if self._stopping.is_set() else self.config.concurrency - len(self._in_flight)

    def _dispatch(self, event: Mapping[str, Any]) -> None:
        event_id = event.get("event_id")
        if not isinstance(event_id, str) or not event_id:
            log.error("step event without an event_id, cannot complete it: %.200r", event)
            return
        callable_name = str(event.get("callable", ""))
        with self._slots:
            self._in_flight[event_id] = _InFlight(event_id, callable_name, time.perf_counter())
            self.stats.dispatched += 1
        handler = self.registry.find(callable_name)
        if handler is None:
            self._finish(event_id, handler_not_found(callable_name))
            return
        try:
            context = StepContext(event)
        except Exception as e:  # a malformed event: fail it, precisely
            self._finish(event_id, failure_from_exception(e))
            return
        if inspect.iscoroutinefunction(handler.call):
            try:
                coroutine = handler.call(context)
            except Exception as e:
                self._finish(event_id, failure_from_exception(e))
                return
            self._run_async(event_id, coroutine)
        else:
            assert self._threads is not None
            self._threads.submit(functools.partial(self._run_sync, event_id, handler, context))

    def _run_sync(self, event_id: str, handler: StepHandler, context: StepContext) -> None:
        try:
            outcome = handler.call(context)
        except BaseException as e:  # noqa: B036 - every failure becomes a completion
            self._finish(event_id, failure_from_exception(e))
            return
        if inspect.isawaitable(outcome):
            self._run_async(event_id, outcome)
        else:
            self._finish(event_id, outcome)

    def _run_async(self, event_id: str, awaitable: Awaitable[Any]) -> None:
        with self._async_lock:
            if self._async is None:
                self._async = AsyncLoop()
            loop = self._async.loop

        async def guarded() -> None:
            try:
                outcome = await awaitable
            except BaseException as e:  # noqa: B036 - includes CancelledError at shutdown
                self._finish(event_id, failure_from_exception(e))
                return
            self._finish(event_id, outcome)

        asyncio.run_coroutine_threadsafe(guarded(), loop)

    def _finish(self, event_id: str, outcome: Any) -> None:
        """Queues the one completion of ``event_id``; drops it when the event was already
        finished (failed at shutdown)."""
        with self._slots:
            entry = self._in_flight.pop(event_id, None)
            self._slots.notify()
            if entry is not None:
                self._count(outcome)
        if entry is None:
            log.info("dropping the late outcome of event %s (already failed at shutdown)", event_id)
            return
        elapsed_ms = (time.perf_counter() - entry.started) * 1000.0
        if isinstance(outcome, CheckpointYield):
            payload = encode_checkpoint(event_id, outcome, entry.callable)
            if payload is not None:
                self._send(("checkpoint", payload))
                return
            outcome = invalid_checkpoint(entry.callable)
        if not isinstance(outcome, RESULT_TYPES):
            outcome = invalid_result(entry.callable, outcome)
        if isinstance(outcome, Failure):
            log.info(
                "step failed: callable %s, %s: %s (retryable: %s)",
                entry.callable,
                outcome.error_type,
                outcome.message,
                outcome.retryable,
            )
        self._send(encode_completion(event_id, outcome, elapsed_ms, entry.callable))

    def _count(self, outcome: Any) -> None:
        if isinstance(outcome, Success):
            self.stats.succeeded += 1
        elif isinstance(outcome, CheckpointYield):
            self.stats.checkpoints += 1
        else:
            self.stats.failed += 1

    def _send(self, item: bytes | tuple[str, bytes]) -> None:
        """Sends a completion from the thread that produced it, batching under load: while one
        thread is inside ``tasker_complete``, others only queue theirs, and it sends everything
        queued meanwhile in its next call (no extra thread hop when the worker is idle)."""
        with self._outbox_changed:
            self._outbox.append(item)
            if self._sending:
                return
            self._sending = True
        done = False
        try:
            while True:
                with self._outbox_changed:
                    items, self._outbox = self._outbox, []
                    if not items:
                        self._sending = False
                        done = True
                        self._outbox_changed.notify_all()
                        return
                self._deliver(items)
        finally:
            if not done:
                with self._outbox_changed:
                    self._sending = False
                    self._outbox_changed.notify_all()

    def _deliver(self, items: list[bytes | tuple[str, bytes]]) -> None:
        batch: list[bytes] = []
        for item in items:
            if isinstance(item, tuple):
                self._send_checkpoint(item[1])
            else:
                batch.append(item)
        for start in range(0, len(batch), _MAX_BATCH):
            self._send_completions(batch[start : start + _MAX_BATCH])

    def _send_completions(self, batch: list[bytes]) -> None:
        try:
            reply = self.native.complete(b"[" + b",".join(batch) + b"]")
        except ValidationError as e:
            if len(batch) == 1:
                self._replace_rejected(batch[0], e)
                return
            log.warning("a completion batch was refused (%s); sending one by one", e)
            for one in batch:
                self._send_completions([one])
            return
        except TaskerError as e:
            log.error(
                "could not send %d completion(s): %s; their deadlines will fail them", len(batch), e
            )
            return
        for rejected in reply.get("rejected", []) if isinstance(reply, dict) else []:
            self.stats.rejected += 1
            level = (
                logging.INFO if rejected.get("code") == EventExpiredError.code else logging.WARNING
            )
            log.log(
                level,
                "completion of event %s rejected: %s",
                rejected.get("event_id"),
                rejected.get("message"),
            )

    def _replace_rejected(self, completion: bytes, error: ValidationError) -> None:
        """The core refused this completion document: fail the event with the core's reason, so
        the event still gets exactly one completion."""
        event_id = str(json.loads(completion).get("event_id", ""))
        failure = Failure(
            message=f"the core refused the handler's completion: {error.message}",
            error_type="invalid_result",
            retryable=False,
        )
        try:
            self.native.complete(b"[" + encode_completion(event_id, failure, 0.0, "") + b"]")
        except TaskerError as e:
            log.error("could not fail event %s after a refused completion: %s", event_id, e)

    def _send_checkpoint(self, payload: bytes) -> None:
        try:
            self.native.checkpoint(payload)
        except ValidationError as e:
            self._replace_rejected(payload, e)
        except TaskerError as e:
            log.error("could not store a checkpoint: %s; the step's deadline will fail it", e)

    def shutdown(self, grace_seconds: float | None = None) -> None:
        """Stop polling → let in-flight handlers finish (bounded) → fail what remains →
        flush completions → ``tasker_worker_stop``. Idempotent."""
        self.request_stop()
        grace = self.config.grace_seconds if grace_seconds is None else grace_seconds
        deadline = time.monotonic() + max(grace, 0.0)
        with self._slots:
            while self._in_flight and time.monotonic() < deadline:
                self._slots.wait(min(0.1, max(deadline - time.monotonic(), 0.0)))
            remaining = list(self._in_flight)
        for event_id in remaining:
            log.warning("failing in-flight event %s: the worker is shutting down", event_id)
            self._finish(event_id, worker_shutdown())
        with self._outbox_changed:
            self._outbox_changed.wait_for(lambda: not self._sending and not self._outbox, 10.0)
        try:
            self.native.worker_stop(int(min(grace, 5.0) * 1000))
        except TaskerError as e:
            log.warning("worker_stop: %s", e)
        if self._threads is not None:
            self._threads.close()
        if self._async is not None:
            self._async.close()
        log.info(
            "tasker worker stopped: %d dispatched, %d succeeded, %d failed, %d checkpoints, "
            "%d rejected",
            self.stats.dispatched,
            self.stats.succeeded,
            self.stats.failed,
            self.stats.checkpoints,
            self.stats.rejected,
        )
