"""The conformance suite as run on GraalPy inside the JVM (driven by GraalPyConformanceTest):
the same handlers, Worker and Client as on CPython, in one context that loads libtasker.so with
ctypes (the library attaches to the JVM that runs the test). Returns a JSON report."""

from __future__ import annotations

import json
import logging
import sys
import threading
from typing import Any

from conformance_suite import check, create_all
from tasker_core import Client, HandlerRegistry, Worker, WorkerConfig, _native


def run(cases_json: str, templates_dir: str, handlers_dir: str, database_url: str) -> str:
    """{"implementation", "init", "cases": {id: [problems]}} as JSON."""
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    cases: list[dict[str, Any]] = json.loads(cases_json)
    registry = HandlerRegistry()
    registry.load_directory(handlers_dir)
    # the worker opens the database first, so the client shares its connection settings
    worker = Worker(
        registry,
        WorkerConfig(
            namespaces=["conformance"],
            templates_dir=templates_dir,
            database_url=database_url,
            concurrency=8,
            grace_seconds=2.0,
            with_orchestrator=True,
        ),
    )
    worker.start()
    poller = threading.Thread(target=worker.run, name="tasker-poller", daemon=True)
    poller.start()
    report: dict[str, list[str]] = {}
    try:
        client = Client()
        # Without a JIT (stock JDK) GraalPy's first runs of the worker's code paths take seconds;
        # the retry workflow's steps time out after 2 s, so they run once the rest warmed it up.
        timed = [c for c in cases if c["template"].startswith("conformance/retry_workflow/")]
        for phase in ([c for c in cases if c not in timed], timed):
            created = create_all(client, phase)
            for case in phase:
                try:
                    report[case["id"]] = check(client, case, created[case["id"]])
                except Exception as e:  # one broken case must not hide the others
                    report[case["id"]] = [f"{type(e).__name__}: {e}"]
    finally:
        worker.shutdown()
        poller.join(5)
        init = _native.init_result()
        stats = vars(worker.stats)
        # attached: closes the bridge's database and worker, leaves this JVM running
        _native.shutdown_runtime()
    return json.dumps(
        {
            "implementation": sys.implementation.name,
            "init": _native.init_result(),
            "stats": vars(worker.stats),
            "cases": report,
        }
    )
