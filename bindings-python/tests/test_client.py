"""The client over tasker_client: templates, tasks, steps, operator actions, health."""

from __future__ import annotations

import uuid

import pytest

from support import WorkerProcess
from tasker_core import Client, ConflictError, TaskTimeoutError


IDLE_TEMPLATE = """
name: never_runs
namespace_name: py_idle
version: 1.0.0
steps:
  - name: only_step
    handler: {callable: py_idle.nobody}
"""


def test_templates_and_health(client: Client, suite_worker: WorkerProcess) -> None:
    names = {(t["namespace"], t["name"]) for t in client.list_templates("conformance")}
    assert ("conformance", "linear_workflow") in names
    template = client.get_template("conformance", "linear_workflow", "1.0.0")
    assert "linear_step_1" in str(template)
    assert client.health()


def test_task_lifecycle(client: Client, suite_worker: WorkerProcess) -> None:
    key = f"py-client-{uuid.uuid4()}"
    task = client.create_task(
        "conformance",
        "linear_workflow",
        {"even_number": 2},
        version="1.0.0",
        idempotency_key=key,
        initiator="pytest",
    )
    with pytest.raises(ConflictError):
        client.create_task(
            "conformance", "linear_workflow", {"even_number": 2}, idempotency_key=key
        )
    done = client.wait_for_task(task["task_uuid"], timeout=60)
    assert done["state"] == "complete"
    assert client.get_task(task["task_uuid"])["state"] == "complete"
    steps = client.list_steps(task["task_uuid"])
    assert [s["name"] for s in steps] == [
        "linear_step_1",
        "linear_step_2",
        "linear_step_3",
        "linear_step_4",
    ]
    one = client.get_step(task["task_uuid"], steps[3]["step_uuid"])
    assert one["result"] == {"value": 65536}
    listed = client.list_tasks(namespace="conformance", name="linear_workflow", limit=500)
    assert task["task_uuid"] in {t["task_uuid"] for t in listed["tasks"]}


def test_wait_times_out_and_cancel_works(client: Client, suite_worker: WorkerProcess) -> None:
    # nobody serves py_idle, so this task cannot finish
    summary = client.register_template(IDLE_TEMPLATE)
    assert summary["name"] == "never_runs"
    task = client.create_task(
        "py_idle", "never_runs", {}, idempotency_key=f"py-cancel-{uuid.uuid4()}"
    )
    with pytest.raises(TaskTimeoutError):
        client.wait_for_task(task["task_uuid"], timeout=0.3)
    cancelled = client.cancel_task(task["task_uuid"])
    assert cancelled["state"] == "cancelled"
