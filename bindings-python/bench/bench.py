#!/usr/bin/env python3
"""Benchmarks of the Python shim; prints numbers (never asserts on time).

  roundtrip  poll + complete over the ABI, per event, from this process: events are let pile up
             in the core's dispatch channel, then taken with one tasker_poll and answered with
             one tasker_complete per batch (and, for comparison, one event per call)
  e2e        creation → complete P50/P95 of the conformance linear and diamond workflows, run by
             a Python worker (python -m tasker_core worker, Python handlers) and by a Java worker
             (tasker worker, the Java handlers of examples/), the same client loop for both

Needs TASKER_LIBRARY, TASKER_CLASSPATH and DATABASE_URL (a database of its own); see
bench/run.sh, which sets them up.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
BINDING = HERE.parent
REPO = BINDING.parent
sys.path.insert(0, str(BINDING / "src"))
sys.path.insert(0, str(BINDING / "tests"))

from support import WorkerProcess, conformance_dir  # noqa: E402

from tasker_core import (
    Client,
    HandlerRegistry,
    StepContext,
    StepHandler,
    Success,
    Worker,
    WorkerConfig,
)  # noqa: E402
from tasker_core import _native  # noqa: E402


class Noop(StepHandler):
    handler_name = "py_bench.noop"

    def call(self, context: StepContext) -> Success:
        return self.success({})


def wait_for_queued(native: _native.NativeLibrary, at_least: int, timeout: float = 60.0) -> int:
    deadline = time.monotonic() + timeout
    while True:
        queued = int(native.worker_status().get("channel", {}).get("queued", 0))
        if queued >= at_least or time.monotonic() > deadline:
            return queued
        time.sleep(0.01)


def roundtrip(tasks: int, batch: int) -> dict[str, float]:
    client = Client()
    native = _native.runtime()
    registry = HandlerRegistry()
    registry.register(Noop)
    worker = Worker(
        registry, WorkerConfig(templates_dir=str(HERE / "templates"), concurrency=batch)
    )
    worker.start()
    created = 0

    def create(n: int) -> None:
        nonlocal created
        for _ in range(n):
            client.create_task("py_bench", "roundtrip", {}, idempotency_key=f"rt-{uuid.uuid4()}")
            created += 1

    def measure(per_call: int, events_wanted: int) -> tuple[float, int, int]:
        spent, events, calls = 0.0, 0, 0
        while events < events_wanted:
            # untimed: let the core fill its channel from the database
            if wait_for_queued(native, per_call, timeout=10) == 0:
                create(per_call)
                continue
            t0 = time.perf_counter_ns()
            got = native.poll(per_call, 0)
            if per_call == 1:
                for e in got:
                    native.complete(
                        {
                            "event_id": e["event_id"],
                            "result": {"success": True, "status": "completed", "result": {}},
                        }
                    )
            elif got:
                native.complete(
                    [
                        {
                            "event_id": e["event_id"],
                            "result": {"success": True, "status": "completed", "result": {}},
                        }
                        for e in got
                    ]
                )
            spent += time.perf_counter_ns() - t0
            events += len(got)
            calls += 1
        return spent / 1000.0, events, calls

    create(min(tasks, 200))
    measure(batch, min(tasks, 200))  # warm-up: JIT on the Java side, plans, pool
    create(tasks)
    batched_us, batched_events, batched_calls = measure(batch, tasks)
    create(min(tasks, 300))
    single_us, single_events, _ = measure(1, min(tasks, 300))
    t0 = time.perf_counter_ns()
    for _ in range(2000):
        native.poll(1, 0)
    empty_poll_us = (time.perf_counter_ns() - t0) / 1000.0 / 2000
    worker.request_stop()
    worker.shutdown(0)
    return {
        "batched_us_per_event": batched_us / batched_events,
        "batched_events": batched_events,
        "batched_calls": batched_calls,
        "single_us_per_event": single_us / single_events,
        "empty_poll_us": empty_poll_us,
    }


def e2e_latency(
    client: Client, shapes: list[tuple[str, str]], tasks: int, warmup: int
) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for name, final in shapes:
        times = []
        for i in range(warmup + tasks):
            t0 = time.perf_counter()
            task = client.create_task(
                "conformance",
                name,
                {"even_number": 6},
                version="1.0.0",
                idempotency_key=f"e2e-{uuid.uuid4()}",
            )
            doc = client.wait_for_task(task["task_uuid"], timeout=30)
            if doc["state"] != "complete":
                raise SystemExit(f"{name} ended {doc['state']}: {doc}")
            if i >= warmup:
                times.append((time.perf_counter() - t0) * 1000.0)
        times.sort()
        out[name] = {
            "p50_ms": statistics.median(times),
            "p95_ms": times[int(len(times) * 0.95) - 1],
            "tasks": len(times),
        }
    return out


def java_worker(templates: Path) -> subprocess.Popen[str]:
    jar = next((REPO / "examples" / "target").glob("tasker-examples-*[0-9].jar"))
    proc = subprocess.Popen(
        [
            str(REPO / "scripts" / "tasker"),
            "worker",
            "--templates",
            str(templates),
            "--handlers-classpath",
            str(jar),
            "--namespace",
            "conformance",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if "worker started" in line:
            threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()  # type: ignore[union-attr]
            return proc
    raise SystemExit(f"java worker did not start ({proc.wait()})")


def e2e(tasks: int) -> dict[str, dict[str, dict[str, float]]]:
    templates = conformance_dir() / "templates"
    shapes = [("linear_workflow", "linear_step_4"), ("diamond_workflow", "diamond_end")]
    client = Client()
    results = {}
    worker = WorkerProcess(templates, extra=["--namespace", "conformance", "--concurrency", "16"])
    try:
        worker.wait_for("tasker worker started")
        results["python"] = e2e_latency(client, shapes, tasks, warmup=30)
    finally:
        worker.stop()
    java = java_worker(templates)
    try:
        results["java"] = e2e_latency(client, shapes, tasks, warmup=30)
    finally:
        java.terminate()
        java.wait(60)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("what", choices=["roundtrip", "e2e"])
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()
    if args.what == "roundtrip":
        r = roundtrip(args.tasks, args.batch)
        print(
            f"poll+complete round trip, batches of up to {args.batch}: "
            f"{r['batched_us_per_event']:.1f} µs/event ({r['batched_events']} events, {r['batched_calls']} batches)"
        )
        print(
            f"poll+complete round trip, one event per call: {r['single_us_per_event']:.1f} µs/event"
        )
        print(f"empty tasker_poll(1, 0): {r['empty_poll_us']:.1f} µs/call")
        print(json.dumps({"benchmark": "py-roundtrip", **r}))
    else:
        r2 = e2e(args.tasks)
        print(f"{'worker':8} {'shape':18} {'tasks':>5} {'p50':>9} {'p95':>9}")
        for who, shapes in r2.items():
            for shape, row in shapes.items():
                print(
                    f"{who:8} {shape:18} {row['tasks']:5d} {row['p50_ms']:7.2f}ms {row['p95_ms']:7.2f}ms"
                )
        for shape in r2["python"]:
            delta = r2["python"][shape]["p50_ms"] / r2["java"][shape]["p50_ms"] - 1
            print(f"{shape}: Python P50 vs Java P50 {delta:+.1%}")
        print(json.dumps({"benchmark": "py-e2e", **r2}))
    _native.shutdown_runtime()
    return 0


if __name__ == "__main__":
    sys.exit(main())
