"""Ctrl-C (SIGINT) while a handler runs: the worker stops polling, waits out its grace period,
fails the in-flight step as retryable ``worker_shutdown`` and exits 0."""

from __future__ import annotations

import os
import signal
import time
import uuid
from pathlib import Path

from support import TESTS, WorkerProcess
from tasker_core import Client


def test_ctrl_c_during_a_long_handler(client: Client, native_env: None, tmp_path: Path) -> None:
    marker = tmp_path / "handler-started"
    env = dict(os.environ, TASKER_TEST_MARKER=str(marker), TASKER_TEST_SLEEP="600")
    env["PYTHONPATH"] = str(TESTS.parent / "src")
    worker = WorkerProcess(TESTS / "slow_templates", extra=["--grace-seconds", "1"], env=env)
    try:
        worker.wait_for("tasker worker started")
        task = client.create_task("py_slow", "slow", {}, idempotency_key=f"py-slow-{uuid.uuid4()}")
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert time.monotonic() < deadline, f"handler never started:\n{worker.output()}"
            assert worker.process.poll() is None, worker.output()
            time.sleep(0.05)
        interrupted = time.monotonic()
        worker.signal(signal.SIGINT)
        code = worker.process.wait(30)
        took = time.monotonic() - interrupted
    finally:
        if worker.process.poll() is None:
            worker.process.kill()
    output = worker.output()
    assert code == 0, output
    assert took < 20, f"shutdown took {took:.1f} s:\n{output}"
    assert "SIGINT: stopping" in output
    assert "failing in-flight event" in output
    assert "tasker worker stopped" in output
    step = client.list_steps(task["task_uuid"])[0]
    assert step["state"] in ("waiting_for_retry", "pending", "enqueued"), step
    assert step["error"]["error_type"] == "worker_shutdown", step
    assert step["error"]["retryable"] is True, step
    client.cancel_task(task["task_uuid"])
