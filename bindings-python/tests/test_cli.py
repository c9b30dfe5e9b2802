"""The worker command's usage errors: exit code 2 with a message naming the flag."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from support import HANDLERS, SOURCE, TEMPLATES


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tasker_core", *args],
        env={"PYTHONPATH": str(SOURCE), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_help_documents_every_flag() -> None:
    result = run_cli("worker", "--help")
    assert result.returncode == 0
    for flag in (
        "--templates",
        "--handlers",
        "--namespace",
        "--concurrency",
        "--database-url",
        "--grace-seconds",
        "--poll-timeout-ms",
        "--log-level",
    ):
        assert flag in result.stdout


def test_no_command_prints_usage() -> None:
    result = run_cli()
    assert result.returncode == 2
    assert "worker" in result.stderr


def test_bad_flags_are_usage_errors() -> None:
    missing = run_cli("worker", "--handlers", str(HANDLERS))
    assert missing.returncode == 2 and "--templates" in missing.stderr
    zero = run_cli(
        "worker", "--templates", str(TEMPLATES), "--handlers", str(HANDLERS), "--concurrency", "0"
    )
    assert zero.returncode == 2 and "must be at least 1, got 0" in zero.stderr
    word = run_cli(
        "worker",
        "--templates",
        str(TEMPLATES),
        "--handlers",
        str(HANDLERS),
        "--concurrency",
        "lots",
    )
    assert word.returncode == 2 and "expected a whole number, got 'lots'" in word.stderr
    no_dir = run_cli("worker", "--templates", "/no/such/dir", "--handlers", str(HANDLERS))
    assert no_dir.returncode == 2 and "--templates /no/such/dir: not a directory" in no_dir.stderr


def test_broken_handlers_stop_the_worker_before_it_starts(tmp_path: Path) -> None:
    (tmp_path / "broken_cli_handler.py").write_text("import no_such_module\n", encoding="utf-8")
    result = run_cli("worker", "--templates", str(TEMPLATES), "--handlers", str(tmp_path))
    assert result.returncode == 1
    assert "broken_cli_handler.py: cannot import: ModuleNotFoundError" in result.stderr


def test_missing_library_is_a_clear_error_not_a_crash() -> None:
    result = run_cli("worker", "--templates", str(TEMPLATES), "--handlers", str(HANDLERS))
    assert result.returncode == 1
    assert "LibraryLoadError: libtasker.so not found" in result.stderr
