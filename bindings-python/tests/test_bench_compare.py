"""`tasker bench compare --tasker-ffi python`: the Python row measured for real (a tiny workload),
through the launcher, the orchestrator in the CLI's JVM and a Python worker process over
libtasker."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.usefixtures("native_env")
def test_compare_measures_tasker_with_python_handlers() -> None:
    if not os.environ.get("DATABASE_URL"):
        pytest.skip("DATABASE_URL is not set")
    run = subprocess.run(
        [
            str(ROOT / "scripts" / "tasker"),
            "bench",
            "compare",
            "--engines",
            "tasker",
            "--tasker-ffi",
            "python",
            "--tasks",
            "3",
            "--warmup",
            "1",
            "--throughput-tasks",
            "6",
            "--in-flight",
            "3",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    doc = json.loads(run.stdout.strip().splitlines()[-1])
    engines = {e["engine"]: e for e in doc["engines"]}
    assert set(engines) == {"tasker (Java handlers)", "tasker (Python handlers)"}
    python = engines["tasker (Python handlers)"]
    assert python["runtime"] == "cpython"
    assert [r["shape"] for r in python["results"]] == ["linear", "diamond"]
    for row in python["results"]:
        assert row["latency_tasks"] == 3
        assert row["p50_ms"] > 0
        assert row["steps_per_s"] > 0
