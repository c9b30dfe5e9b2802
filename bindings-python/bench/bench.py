#!/usr/bin/env python3
"""Benchmarks of the Python shim; prints numbers (never asserts on time).

  roundtrip  poll + complete over the ABI from this process, on the bridge's loopback event
             source (no database): batched and one event per call; then the whole Python worker
             loop (poller, handler threads, batched completions) with a no-op handler
  e2e        creation → complete P50/P95 of the conformance linear and diamond workflows, run by
             a Python worker (python -m tasker_core worker, Python handlers) and by a Java worker
             (tasker worker, the Java handlers of examples/), the same client loop for both

Needs TASKER_LIBRARY and TASKER_CLASSPATH, and for e2e DATABASE_URL (a database of its own);
bench/run.sh sets them up.
"""

from __future__ import annotations

import argparse
import json
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


class Echo(StepHandler):
    handler_name = "loopback.echo"

    def call(self, context: StepContext) -> Success:
        return self.success({})


OK_RESULT = {"success": True, "status": "completed", "result": {}}


def raw_round_trips(
    native: _native.NativeLibrary, per_call: int, events: int
) -> tuple[float, float]:
    """(wall µs, CPU µs of the calling thread) per event of tasker_poll(per_call) + one
    tasker_complete for what came back. The upcalls run on the calling thread, so its CPU time is
    the whole cost of the round trip without the waits for the event source."""
    done = 0
    t0, c0 = time.perf_counter_ns(), time.thread_time_ns()
    while done < events:
        got = native.poll(per_call, 100)
        if per_call == 1:
            for e in got:
                native.complete({"event_id": e["event_id"], "result": OK_RESULT})
        elif got:
            native.complete([{"event_id": e["event_id"], "result": OK_RESULT} for e in got])
        done += len(got)
    return (
        (time.perf_counter_ns() - t0) / 1000.0 / done,
        (time.thread_time_ns() - c0) / 1000.0 / done,
    )


def roundtrip(events: int, batch: int, payload: int) -> dict[str, float]:
    """The ABI alone, on the bridge's loopback source (no database): events are produced as fast
    as the channel takes them, so this measures poll + complete, JSON and ctypes included."""
    native = _native.runtime()
    results: dict[str, float] = {}
    for label, per_call in (("batched", batch), ("single", 1)):
        native.worker_start(
            {"loopback": {"payload_bytes": payload}, "concurrency": max(per_call, 64)}
        )
        raw_round_trips(native, per_call, min(events, 20_000))  # warm-up: JIT of the bridge
        wall, cpu = raw_round_trips(native, per_call, events)
        results[f"{label}_us_per_event"] = wall
        results[f"{label}_cpu_us_per_event"] = cpu
        native.worker_stop(1000)
    t0 = time.perf_counter_ns()
    for _ in range(5000):
        native.worker_status()
    results["status_call_us"] = (time.perf_counter_ns() - t0) / 1000.0 / 5000

    # the whole Python worker loop: poller thread, handler threads, batched completions
    registry = HandlerRegistry()
    registry.register(Echo)
    config = WorkerConfig(namespaces=["loopback"], concurrency=batch)
    worker = Worker(registry, config, native)
    native.worker_start({"loopback": {"payload_bytes": payload}, "concurrency": batch})
    worker.start()
    poller = threading.Thread(target=worker.run, daemon=True)
    poller.start()
    time.sleep(2.0)  # warm-up
    before, t0 = worker.stats.succeeded, time.perf_counter()
    time.sleep(5.0)
    done, seconds = worker.stats.succeeded - before, time.perf_counter() - t0
    worker.shutdown(1.0)
    results["worker_events_per_s"] = done / seconds
    results["worker_us_per_event"] = seconds * 1e6 / max(done, 1)
    results["payload_bytes"] = payload
    return results


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
    parser.add_argument("--tasks", type=int, default=200, help="e2e: tasks per shape")
    parser.add_argument("--events", type=int, default=100_000, help="roundtrip: events measured")
    parser.add_argument("--batch", type=int, default=64, help="roundtrip: events per poll")
    parser.add_argument("--payload", type=int, default=200, help="roundtrip: task context bytes")
    args = parser.parse_args()
    if args.what == "roundtrip":
        r = roundtrip(args.events, args.batch, args.payload)
        print(f"ABI round trip (poll + complete, loopback source, {args.payload}-byte context):")
        for label, what in (
            ("batched", f"batches of up to {args.batch}"),
            ("single", "one per call"),
        ):
            print(
                f"  {what:20}: {r[label + '_us_per_event']:6.2f} µs/event wall, "
                f"{r[label + '_cpu_us_per_event']:6.2f} µs/event CPU of the polling thread"
            )
        print(f"  tasker_worker_status call: {r['status_call_us']:.2f} µs")
        print(
            f"  Python worker loop (threads, context, no-op handler): "
            f"{r['worker_events_per_s']:.0f} events/s = {r['worker_us_per_event']:.1f} µs/event"
        )
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
