"""Handlers that return garbage, raise, or are missing: each step gets one precise failure and the
worker keeps running."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from support import WorkerProcess
from tasker_core import Client, NotFoundError, ValidationError


@pytest.fixture(scope="module")
def bad_task(client: Client, suite_worker: WorkerProcess) -> dict[str, Any]:
    task = client.create_task("py_bad", "bad_results", {}, idempotency_key=f"py-bad-{uuid.uuid4()}")
    return client.wait_for_task(task["task_uuid"], timeout=60)


def step(document: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in document["steps"] if s["name"] == name)


@pytest.mark.parametrize(
    ("name", "error_type", "message"),
    [
        ("returns_dict", "invalid_result", "returned dict"),
        ("returns_none", "invalid_result", "returned NoneType"),
        ("returns_set", "invalid_result", "not JSON"),
        ("returns_nan", "invalid_result", "not JSON"),
        ("raises_custom", "PaymentDeclined", "card declined"),
        ("async_raises", "ValueError", "async handler failed"),
        ("nobody_home", "handler_not_found", "py_bad.nobody_home"),
    ],
)
def test_each_misbehaviour_fails_its_step_precisely(
    bad_task: dict[str, Any], name: str, error_type: str, message: str
) -> None:
    s = step(bad_task, name)
    assert s["state"] == "error", s
    assert s["attempts"] == 1, s
    assert s["error"]["error_type"] == error_type, s
    assert message in s["error"]["message"], s


def test_retry_after_retries_and_then_succeeds(bad_task: dict[str, Any]) -> None:
    s = step(bad_task, "retry_later")
    assert s["state"] == "complete", s
    assert s["attempts"] == 2, s
    assert s["result"] == {"attempts": 2}


def test_the_worker_survives_them_all(
    bad_task: dict[str, Any], suite_worker: WorkerProcess
) -> None:
    assert bad_task["state"] in ("error", "blocked_by_failures")
    assert suite_worker.process.poll() is None, suite_worker.output()


def test_client_errors_are_typed(client: Client, suite_worker: WorkerProcess) -> None:
    with pytest.raises(NotFoundError):
        client.get_task(str(uuid.uuid4()))
    with pytest.raises(NotFoundError):
        client.create_task("py_bad", "no_such_template", {})
    with pytest.raises(ValidationError):
        client.call("task.no_such_op")
