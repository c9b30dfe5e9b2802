"""Fixtures: the source tree on sys.path; for the integration tests, an in-process client and one
suite worker subprocess (conformance + misbehaving handlers) against $DATABASE_URL."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import (
    TEMPLATES,
    WorkerProcess,
    conformance_dir,
    native_missing,
    templates_dir,
)  # noqa: E402

from tasker_core import Client  # noqa: E402


@pytest.fixture(scope="session")
def native_env() -> None:
    reason = native_missing()
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def client(native_env: None) -> Client:
    return Client()


@pytest.fixture(scope="session")
def suite_worker(
    native_env: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WorkerProcess]:
    templates = templates_dir(
        tmp_path_factory.mktemp("templates"), conformance_dir() / "templates", TEMPLATES
    )
    worker = WorkerProcess(
        templates, extra=["--concurrency", "16", "--grace-seconds", "2", "--with-orchestrator"]
    )
    try:
        worker.wait_for("tasker worker started")
        yield worker
    finally:
        code = worker.stop()
        assert code == 0, f"suite worker exited with {code}:\n{worker.output()}"
