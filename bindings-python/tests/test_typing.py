"""The package is fully typed: mypy --strict passes (skipped where mypy is not installed)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from support import SOURCE


def test_mypy_strict() -> None:
    if (
        subprocess.run([sys.executable, "-m", "mypy", "--version"], capture_output=True).returncode
        != 0
    ):
        pytest.skip(f"{sys.executable} has no mypy (Debian: python3-mypy)")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "tasker_core"],
        cwd=SOURCE,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
