"""Every case of shared/conformance/expected.yaml, run by Python handlers through the real worker
entry point (a subprocess) against a real database; tasks created and checked through Client."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from conformance_suite import check, create_all
from support import WorkerProcess, conformance_dir
from tasker_core import Client


def load_cases() -> list[dict[str, Any]]:
    path = conformance_dir() / "expected.yaml"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as f:
        cases: list[dict[str, Any]] = yaml.safe_load(f)["cases"]
    return cases


CASES = load_cases()


def test_the_conformance_cases_are_present() -> None:
    assert len(CASES) >= 16, f"expected.yaml not found under {conformance_dir()}"


@pytest.fixture(scope="module")
def created(client: Client, suite_worker: WorkerProcess) -> dict[str, Any]:
    return create_all(client, CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict[str, Any], created: dict[str, Any], client: Client) -> None:
    problems = check(client, case, created[case["id"]])
    assert not problems, "\n".join(problems)
