"""Runs the cases of shared/conformance/expected.yaml through a ``tasker_core.Client`` against
a running Python worker and reports what differs. Shared by the CPython suite (pytest) and the
GraalPy suite (JUnit), so both check exactly the same things."""

from __future__ import annotations

import uuid
from typing import Any

from tasker_core import Client, TaskerError, ValidationError

WAIT_SECONDS = 90.0


def create_all(client: Client, cases: list[dict[str, Any]]) -> dict[str, Any]:
    """Creates every case's task up front (they then run concurrently): id → task document or
    the exception task creation raised."""
    created: dict[str, Any] = {}
    for case in cases:
        namespace, name, version = case["template"].split("/")
        try:
            created[case["id"]] = client.create_task(
                namespace,
                name,
                case["context"],
                version=version,
                idempotency_key=f"py-conformance-{case['id']}-{uuid.uuid4()}",
            )
        except TaskerError as e:
            created[case["id"]] = e
    return created


def same(actual: Any, expected: Any) -> bool:
    """Deep equality where numbers compare by value (1 == 1.0) and bools are not numbers."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual is expected
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return actual == expected
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and actual.keys() == expected.keys()
            and all(same(actual[k], v) for k, v in expected.items())
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(same(a, e) for a, e in zip(actual, expected))
        )
    return bool(actual == expected)


def _step(document: dict[str, Any], name: str) -> dict[str, Any] | None:
    for step in document.get("steps", []):
        if step.get("name") == name:
            return dict(step)
    return None


def check(client: Client, case: dict[str, Any], created: Any) -> list[str]:
    """Every difference between the case's expectation and what happened (empty: passed)."""
    if case.get("rejected"):
        if not isinstance(created, ValidationError):
            return [f"task creation should fail with ValidationError, got {created!r}"]
        return (
            [] if "even_number" in str(created) else [f"error does not name even_number: {created}"]
        )
    if isinstance(created, Exception):
        return [f"task creation failed: {type(created).__name__}: {created}"]
    document = client.wait_for_task(created["task_uuid"], timeout=WAIT_SECONDS)
    problems: list[str] = []
    if document.get("state") != case["task_state"]:
        problems.append(f"task state {document.get('state')!r}, expected {case['task_state']!r}")
    if "step_count" in case and len(document.get("steps", [])) != case["step_count"]:
        problems.append(f"{len(document.get('steps', []))} steps, expected {case['step_count']}")
    if "final_step" in case:
        step = _step(document, case["final_step"])
        result = None if step is None else step.get("result")
        if not same(result, case["result"]):
            problems.append(f"{case['final_step']} result {result!r}, expected {case['result']!r}")
    for name, want in case.get("steps", {}).items():
        step = _step(document, name)
        if step is None:
            problems.append(f"no step {name!r}")
            continue
        error = step.get("error") or {}
        if "state" in want and step.get("state") != want["state"]:
            problems.append(f"{name} state {step.get('state')!r}, expected {want['state']!r}")
        if "attempts" in want and step.get("attempts") != want["attempts"]:
            problems.append(f"{name} attempts {step.get('attempts')}, expected {want['attempts']}")
        if "error_type" in want and error.get("error_type") != want["error_type"]:
            problems.append(
                f"{name} error_type {error.get('error_type')!r}, expected {want['error_type']!r}"
            )
        if "message_contains" in want and want["message_contains"] not in str(error.get("message")):
            problems.append(
                f"{name} error message {error.get('message')!r} lacks {want['message_contains']!r}"
            )
    if problems:
        problems.append(f"task document: {document}")
    return problems
