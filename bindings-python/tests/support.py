"""Test support: the worker entry point as a real subprocess, and where the pieces live."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

TESTS = Path(__file__).resolve().parent
BINDING = TESTS.parent
SOURCE = BINDING / "src"
REPO = BINDING.parent
HANDLERS = TESTS / "handlers"
TEMPLATES = TESTS / "templates"


def conformance_dir() -> Path:
    return Path(os.environ.get("TASKER_CONFORMANCE_DIR", REPO.parent / "shared" / "conformance"))


def native_missing() -> str | None:
    """Why the integration tests cannot run here, or None when they can."""
    library = os.environ.get("TASKER_LIBRARY")
    if not library or not Path(library).is_file():
        return "TASKER_LIBRARY does not name a built libtasker.so"
    if not os.environ.get("TASKER_CLASSPATH"):
        return "TASKER_CLASSPATH does not name the shaded core jar"
    if not os.environ.get("DATABASE_URL"):
        return "DATABASE_URL is not set (the Maven module's launcher creates a fresh database)"
    return None


def templates_dir(target: Path, *sources: Path) -> Path:
    """One directory holding the templates of every ``sources`` directory."""
    target.mkdir(parents=True, exist_ok=True)
    for source in sources:
        for file in source.glob("*.y*ml"):
            shutil.copy(file, target / file.name)
    return target


class WorkerProcess:
    """``python -m tasker_core worker …`` as a subprocess, its stderr collected line by line."""

    def __init__(
        self,
        templates: Path,
        handlers: Path = HANDLERS,
        extra: Sequence[str] = (),
        env: dict[str, str] | None = None,
        python: str = sys.executable,
    ) -> None:
        environment = dict(os.environ if env is None else env)
        if env is None:
            path = environment.get("PYTHONPATH")
            environment["PYTHONPATH"] = str(SOURCE) + (os.pathsep + path if path else "")
        environment.setdefault("PYTHONUNBUFFERED", "1")
        self.args = [
            python,
            "-m",
            "tasker_core",
            "worker",
            "--templates",
            str(templates),
            "--handlers",
            str(handlers),
            *extra,
        ]
        self.process = subprocess.Popen(
            self.args,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def output(self) -> str:
        with self._changed:
            return "\n".join(self.lines)

    def wait_for(self, text: str, timeout: float = 90.0) -> None:
        """Until a line contains ``text``; fails with the output when the process dies first."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not any(text in line for line in self.lines):
                if self.process.poll() is not None and not self._reader.is_alive():
                    raise AssertionError(
                        f"worker exited ({self.process.returncode}) before '{text}':\n{self.output_unlocked()}"
                    )
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"no '{text}' within {timeout} s:\n{self.output_unlocked()}"
                    )
                self._changed.wait(min(remaining, 0.5))

    def output_unlocked(self) -> str:
        return "\n".join(self.lines)

    def signal(self, signum: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signum)

    def stop(self, timeout: float = 60.0) -> int:
        """SIGTERM, then the exit code (SIGKILL if it does not exit within ``timeout``)."""
        self.signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(
                f"worker ignored SIGTERM for {timeout} s:\n{self.output()}"
            ) from None
        finally:
            self._reader.join(5)
