"""``python -m tasker_core worker …`` / ``tasker-py worker …``: the Python worker entry point."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType
from typing import Any

from . import __version__, _native
from .errors import TaskerError
from .registry import HandlerRegistry
from .worker import Worker, WorkerConfig

log = logging.getLogger("tasker_core.cli")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got '{text}'") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tasker-py",
        description="tasker for Python: run Python step handlers against a tasker database.",
    )
    parser.add_argument("--version", action="version", version=f"tasker-core-py {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    worker = commands.add_parser(
        "worker",
        help="run a worker until SIGINT/SIGTERM",
        description=(
            "Registers the templates of --templates, imports every .py file under --handlers, "
            "and runs their StepHandler classes for the templates' namespaces (or those of "
            "--namespace) until SIGINT/SIGTERM; then finishes in-flight steps within "
            "--grace-seconds and fails the rest as retryable. Database: --database-url, else "
            "DATABASE_URL, else the machine's embedded PostgreSQL."
        ),
    )
    worker.add_argument(
        "--templates",
        metavar="DIR",
        required=True,
        help="directory of task templates (*.yaml|*.yml, recursive) to register and serve",
    )
    worker.add_argument(
        "--handlers",
        metavar="DIR",
        required=True,
        help="directory of Python files defining StepHandler classes (recursive)",
    )
    worker.add_argument(
        "--namespace",
        metavar="NS",
        action="append",
        nargs="+",
        default=[],
        help="serve only these namespaces (repeatable; default: the templates' namespaces)",
    )
    worker.add_argument(
        "--concurrency",
        metavar="N",
        type=_positive_int,
        default=8,
        help="handlers running at once (default 8)",
    )
    worker.add_argument(
        "--database-url",
        metavar="URL",
        default=None,
        help="PostgreSQL URL (default: DATABASE_URL, else the embedded database)",
    )
    worker.add_argument(
        "--grace-seconds",
        metavar="S",
        type=_non_negative_float,
        default=10.0,
        help="how long in-flight handlers may finish at shutdown (default 10)",
    )
    worker.add_argument(
        "--poll-timeout-ms",
        metavar="MS",
        type=_positive_int,
        default=100,
        help="longest wait of one poll for events (default 100)",
    )
    worker.add_argument(
        "--with-orchestrator",
        action="store_true",
        help="also run an orchestrator in this process (retries after backoff and the stale-task "
        "sweep need one somewhere: a tasker server or one worker with this flag)",
    )
    worker.add_argument(
        "--log-level",
        default=os.environ.get("TASKER_LOG_LEVEL", "info"),
        choices=["debug", "info", "warning", "error"],
        help="log level (default info)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command != "worker":
        parser.print_help(sys.stderr)
        return 2
    logging.basicConfig(
        level=args.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if not os.path.isdir(args.templates):
        parser.error(f"--templates {args.templates}: not a directory")
    try:
        registry = HandlerRegistry()
        count = registry.load_directory(args.handlers)
        if count == 0:
            log.warning("no StepHandler classes found under %s", args.handlers)
        config = WorkerConfig(
            namespaces=[ns for group in args.namespace for ns in group],
            templates_dir=os.path.abspath(args.templates),
            concurrency=args.concurrency,
            database_url=args.database_url,
            poll_timeout_ms=args.poll_timeout_ms,
            grace_seconds=args.grace_seconds,
            with_orchestrator=args.with_orchestrator,
        )
        init: dict[str, Any] = {
            "log_level": args.log_level if args.log_level != "warning" else "warn"
        }
        if args.database_url:
            init["database_url"] = args.database_url
        _native.init(**init)
        return run_worker(registry, config)
    except TaskerError as e:
        print(f"tasker-py: {type(e).__name__}: {e}", file=sys.stderr)
        return 1


def run_worker(registry: HandlerRegistry, config: WorkerConfig) -> int:
    """Starts, polls until SIGINT/SIGTERM, shuts down in order; returns the exit code (0)."""
    worker = Worker(registry, config)
    signals_seen = 0

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        nonlocal signals_seen
        signals_seen += 1
        if signals_seen == 1:
            log.info("%s: stopping (again to skip the grace period)", signal.Signals(signum).name)
            worker.request_stop()
        else:
            worker.config.grace_seconds = 0.0

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        worker.start()
        poller = threading.Thread(target=worker.run, name="tasker-poller", daemon=True)
        poller.start()
        # the main thread only waits, so signal handlers run promptly
        while poller.is_alive():
            poller.join(0.2)
        worker.shutdown()
        if worker.fatal is not None:
            print(
                f"tasker-py: worker stopped: {type(worker.fatal).__name__}: {worker.fatal}",
                file=sys.stderr,
            )
            return 1
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        _native.shutdown_runtime()
    return 0
