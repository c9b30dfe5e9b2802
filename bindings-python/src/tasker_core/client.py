"""``Client``: tasks, steps, templates and health over ``tasker_client`` (the REST documents)."""

from __future__ import annotations

import time
from typing import Any

from . import _native
from .errors import TaskTimeoutError


class Client:
    """Talks to the database the embedded core uses (``DATABASE_URL``, else the embedded default).

    Every method returns the REST API's JSON document as plain dicts and lists, and raises a
    ``TaskerError`` subclass on failure (``ValidationError``, ``NotFoundError``,
    ``ConflictError``, ``TaskTimeoutError``, …).
    """

    def __init__(self, native: _native.NativeLibrary | None = None) -> None:
        self._native = native

    @property
    def native(self) -> _native.NativeLibrary:
        if self._native is None:
            self._native = _native.runtime()
        return self._native

    def call(self, op: str, **args: Any) -> Any:
        """Any client op of the ABI; ``None`` arguments are left out."""
        return self.native.client(op, {k: v for k, v in args.items() if v is not None})

    def create_task(
        self,
        namespace: str,
        name: str,
        context: dict[str, Any],
        *,
        version: str | None = None,
        initiator: str | None = None,
        source_system: str | None = None,
        reason: str | None = None,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:
        result: dict[str, Any] = self.call(
            "task.create",
            namespace=namespace,
            name=name,
            context=context,
            version=version,
            initiator=initiator,
            source_system=source_system,
            reason=reason,
            idempotency_key=idempotency_key,
        )
        return result

    def get_task(self, task_uuid: str) -> dict[str, Any]:
        result: dict[str, Any] = self.call("task.get", task_uuid=task_uuid)
        return result

    def list_tasks(
        self,
        *,
        namespace: str | None = None,
        name: str | None = None,
        state: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> dict[str, Any]:
        result: dict[str, Any] = self.call(
            "task.list", namespace=namespace, name=name, state=state, limit=limit, offset=offset
        )
        return result

    def cancel_task(self, task_uuid: str) -> dict[str, Any]:
        result: dict[str, Any] = self.call("task.cancel", task_uuid=task_uuid)
        return result

    def wait_for_task(self, task_uuid: str, timeout: float = 30.0) -> dict[str, Any]:
        """The task document once the task is final; ``TaskTimeoutError`` after ``timeout`` s."""
        if _native.CALLS_RELEASE_GIL:
            result: dict[str, Any] = self.call(
                "task.wait", task_uuid=task_uuid, timeout_ms=int(timeout * 1000)
            )
            return result
        # the interpreter keeps its lock during the call: ask without waiting, sleep in Python
        deadline = time.monotonic() + timeout
        while True:
            try:
                document: dict[str, Any] = self.call("task.wait", task_uuid=task_uuid, timeout_ms=1)
                return document
            except TaskTimeoutError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.02)

    def list_steps(self, task_uuid: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.call("step.list", task_uuid=task_uuid)
        return result

    def get_step(self, task_uuid: str, step_uuid: str) -> dict[str, Any]:
        result: dict[str, Any] = self.call("step.get", task_uuid=task_uuid, step_uuid=step_uuid)
        return result

    def update_step(
        self,
        task_uuid: str,
        step_uuid: str,
        action: str,
        *,
        result: Any = None,
        reason: str | None = None,
        operator: str | None = None,
    ) -> dict[str, Any]:
        """``action``: ``reset_for_retry``, ``resolve_manually`` or ``complete_manually``."""
        document: dict[str, Any] = self.call(
            "step.update",
            task_uuid=task_uuid,
            step_uuid=step_uuid,
            action=action,
            result=result,
            reason=reason,
            operator=operator,
        )
        return document

    def list_templates(self, namespace: str | None = None) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.call("template.list", namespace=namespace)
        return result

    def get_template(self, namespace: str, name: str, version: str | None = None) -> dict[str, Any]:
        result: dict[str, Any] = self.call(
            "template.get", namespace=namespace, name=name, version=version
        )
        return result

    def register_template(self, yaml_text: str) -> dict[str, Any]:
        result: dict[str, Any] = self.call("template.register", yaml=yaml_text)
        return result

    def health(self) -> dict[str, Any]:
        result: dict[str, Any] = self.call("health")
        return result
