"""The wheel: built by tools/build_wheel.py, installed offline with pip into a temp directory, and
a worker run from the installed copy (no TASKER_LIBRARY, no source tree) completes a task."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest

from support import BINDING, HANDLERS, TESTS, WorkerProcess
from tasker_core import Client


@pytest.fixture(scope="module")
def wheel(native_env: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    command = [
        sys.executable,
        str(BINDING / "tools" / "build_wheel.py"),
        "--lib",
        os.environ["TASKER_LIBRARY"],
        "--out",
        str(out),
    ]
    for jar in os.environ["TASKER_CLASSPATH"].split(os.pathsep):
        if jar:
            command += ["--jar", jar]
    if os.environ.get("TASKER_AOT_CACHE"):
        command += ["--aot", os.environ["TASKER_AOT_CACHE"]]
    built = subprocess.run(command, capture_output=True, text=True, check=True)
    return Path(built.stdout.strip())


def test_wheel_contents_and_record(wheel: Path) -> None:
    assert wheel.name == "tasker_core_py-0.1.0-py3-none-linux_x86_64.whl"
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        record = zf.read("tasker_core_py-0.1.0.dist-info/RECORD").decode()
    for required in (
        "tasker_core/__init__.py",
        "tasker_core/py.typed",
        "tasker_core/_lib/libtasker.so",
        "tasker_core_py-0.1.0.dist-info/METADATA",
        "tasker_core_py-0.1.0.dist-info/WHEEL",
        "tasker_core_py-0.1.0.dist-info/entry_points.txt",
    ):
        assert required in names
    assert any(n.startswith("tasker_core/_lib/") and n.endswith(".jar") for n in names)
    assert len(record.splitlines()) == len(names)


def test_installed_wheel_runs_a_worker(wheel: Path, client: Client, tmp_path: Path) -> None:
    if (
        subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True).returncode
        != 0
    ):
        pytest.skip(f"{sys.executable} has no pip")
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-index",
            "--no-deps",
            "--disable-pip-version-check",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    assert (target / "bin" / "tasker-py").is_file()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("TASKER_LIBRARY", "TASKER_CLASSPATH", "TASKER_AOT_CACHE", "PYTHONPATH")
    }
    env["PYTHONPATH"] = str(target)
    found = subprocess.run(
        [sys.executable, "-c", "import tasker_core; print(tasker_core.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.startswith(str(target))
    worker = WorkerProcess(TESTS / "package_templates", handlers=HANDLERS, env=env)
    try:
        worker.wait_for("tasker worker started")
        task = client.create_task(
            "py_pkg", "hello_package", {"n": 12}, idempotency_key=f"py-pkg-{uuid.uuid4()}"
        )
        done = client.wait_for_task(task["task_uuid"], timeout=60)
        assert done["state"] == "complete", done
        assert done["steps"][0]["result"] == {"value": 144}
    finally:
        assert worker.stop() == 0, worker.output()
