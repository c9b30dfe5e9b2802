"""The Python conformance handlers on their own: big integers, batches, checkpoints, decisions."""

from __future__ import annotations

from typing import Any

import pytest

from handlers.conformance import (
    FinalizeApproval,
    PlanBatches,
    RoutingDecision,
    SquareInput,
    SquareParents,
    SumBatch,
    Total,
)
from tasker_core import CheckpointYield, PermanentError, StepContext, Success


def ctx(**event: Any) -> StepContext:
    return StepContext({"event_id": "e", "attempts": 1, **event})


def test_squares_stay_exact_beyond_2_pow_53() -> None:
    assert SquareInput().call(
        ctx(task_context={"n": 6}, initialization={"input_key": "n"})
    ) == Success({"value": 36})
    leaf = ctx(dependency_results={"a": {"value": 2821109907456}})
    assert SquareParents().call(leaf) == Success({"value": str(2821109907456**2)})
    four = ctx(dependency_results={k: {"value": str(2821109907456**2)} for k in "defg"})
    assert SquareParents().call(four) == Success({"value": str((2821109907456**8) ** 2)})


def test_tree_final_value_matches_expected_yaml() -> None:
    n = 6
    root = n**2
    branch = root**2
    leaf = branch**2
    final = (leaf**4) ** 2
    assert str(final) == "63340286662973277706162286946811886609896461828096"


def test_bad_numbers_fail_permanently() -> None:
    with pytest.raises(PermanentError, match="even_number must be an integer, got 'six'"):
        SquareInput().call(
            ctx(task_context={"even_number": "six"}, initialization={"input_key": "even_number"})
        )
    with pytest.raises(PermanentError, match="needs at least one parent"):
        SquareParents().call(ctx())


def test_routing_and_finalize() -> None:
    decision = RoutingDecision().call(ctx(task_context={"amount": 10000}))
    assert isinstance(decision, Success)
    assert decision.result["decision_point_outcome"]["step_names"] == [
        "manager_approval",
        "finance_review",
    ]
    done = FinalizeApproval().call(
        ctx(dependency_results={"m": {"approver": "manager"}, "f": {"approver": "finance"}})
    )
    assert done == Success(
        {"approved": True, "approval_path": "dual_approval", "approved_by": ["finance", "manager"]}
    )


def test_batches_checkpoints_and_total() -> None:
    plan = PlanBatches().call(ctx(task_context={"item_count": 450, "batch_size": 200}))
    assert isinstance(plan, Success)
    outcome = plan.result["batch_processing_outcome"]
    assert outcome["worker_count"] == 3
    assert outcome["cursor_configs"][2] == {
        "batch_id": "003",
        "start_cursor": 400,
        "end_cursor": 450,
        "batch_size": 50,
    }
    assert PlanBatches().call(ctx(task_context={"item_count": 0, "batch_size": 200})).result == {
        "batch_processing_outcome": {"type": "no_batches"}
    }

    inputs = {"start_cursor": 0, "end_cursor": 120}
    first = SumBatch().call(ctx(step_inputs=inputs, initialization={"checkpoint_every": 50}))
    assert first == CheckpointYield(50, 50, {"sum": sum(range(50))})
    checkpoint = {
        "cursor": 100,
        "items_processed": 100,
        "accumulated_results": {"sum": sum(range(100))},
    }
    last = SumBatch().call(
        ctx(step_inputs=inputs, initialization={"checkpoint_every": 50}, checkpoint=checkpoint)
    )
    assert last == Success({"sum": sum(range(120)), "items": 120})

    total = Total().call(
        ctx(
            dependency_results={
                "a": {"sum": 10, "items": 5},
                "b": {"sum": "20", "items": 5},
                "plan": {},
            }
        )
    )
    assert total == Success({"sum": 30, "items": 10, "batches": 2})
