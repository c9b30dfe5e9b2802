from __future__ import annotations

import asyncio

import pytest

from tasker_core import (
    Checkpoint,
    CheckpointYield,
    Failure,
    PermanentError,
    RetryableError,
    StepContext,
    StepHandler,
    Success,
)

EVENT = {
    "event_id": "e1",
    "task_uuid": "t1",
    "step_uuid": "s1",
    "correlation_id": "c1",
    "namespace": "conformance",
    "task_name": "linear_workflow",
    "step_name": "linear_step_2",
    "callable": "conformance.square_parents",
    "initialization": {"input_key": "even_number"},
    "task_context": {"even_number": 6},
    "dependency_results": {"linear_step_1": {"value": 36}},
    "step_inputs": {"batch_id": "001"},
    "checkpoint": {"cursor": 50, "items_processed": 50, "accumulated_results": {"sum": 1225}},
    "attempts": 2,
    "max_attempts": 3,
    "retry_count": 1,
    "deadline_unix_ms": 1764000000000,
}


def test_context_reads_every_part_of_the_event() -> None:
    ctx = StepContext(EVENT)
    assert (ctx.event_id, ctx.task_uuid, ctx.step_uuid, ctx.correlation_id) == (
        "e1",
        "t1",
        "s1",
        "c1",
    )
    assert (ctx.namespace, ctx.task_name, ctx.step_name) == (
        "conformance",
        "linear_workflow",
        "linear_step_2",
    )
    assert ctx.get_input("even_number") == 6
    assert ctx.get_input("missing", "fallback") == "fallback"
    assert ctx.get_dependency_result("linear_step_1") == {"value": 36}
    assert ctx.get_dependency_result("not_a_parent") is None
    assert ctx.get_config("input_key") == "even_number"
    assert ctx.step_inputs == {"batch_id": "001"}
    assert ctx.checkpoint == Checkpoint(
        cursor=50, items_processed=50, accumulated_results={"sum": 1225}
    )
    assert (ctx.attempts, ctx.max_attempts, ctx.retry_count) == (2, 3, 1)
    assert ctx.deadline_unix_ms == 1764000000000


def test_context_of_a_sparse_event_has_safe_defaults() -> None:
    ctx = StepContext({"event_id": "e2", "task_context": None, "checkpoint": None, "attempts": 1})
    assert ctx.task_context == {} and ctx.dependency_results == {} and ctx.step_inputs == {}
    assert ctx.checkpoint is None
    assert ctx.retry_count == 0
    assert ctx.correlation_id is None


class Plain(StepHandler):
    handler_name = "test.plain"

    def call(self, context: StepContext) -> Success:
        return self.success({"ok": True})


def test_result_helpers_build_the_outcome_shapes() -> None:
    h = Plain()
    assert h.success() == Success({})
    assert h.failure("nope", error_type="validation_error", retryable=False) == Failure(
        "nope", "validation_error", False
    )
    assert h.checkpoint_yield(10, 10, {"sum": 45}) == CheckpointYield(10, 10, {"sum": 45})
    assert h.decision(["a", "b"]).result == {
        "decision_point_outcome": {"type": "create_steps", "step_names": ["a", "b"]}
    }
    configs = [{"batch_id": "001", "start_cursor": 0, "end_cursor": 5, "batch_size": 5}]
    assert h.batches("sum_batch", configs, 5).result == {
        "batch_processing_outcome": {
            "type": "create_batches",
            "worker_template_name": "sum_batch",
            "worker_count": 1,
            "cursor_configs": configs,
            "total_items": 5,
        }
    }
    assert h.no_batches().result == {"batch_processing_outcome": {"type": "no_batches"}}


def test_base_handler_without_call_says_what_is_missing() -> None:
    class Empty(StepHandler):
        pass

    with pytest.raises(NotImplementedError, match="Empty must implement call"):
        Empty().call(StepContext(EVENT))


def test_error_classes_carry_their_flags() -> None:
    permanent = PermanentError("bad input", error_type="validation_error")
    assert (permanent.retryable, permanent.error_type, str(permanent)) == (
        False,
        "validation_error",
        "bad input",
    )
    retry = RetryableError("later", retry_after=2.5)
    assert (retry.retryable, retry.error_type, retry.retry_after) == (True, "retryable_error", 2.5)
    with pytest.raises(ValueError, match="retry_after must be >= 0"):
        RetryableError("x", retry_after=-1)


def test_async_handlers_are_coroutines() -> None:
    class Async(StepHandler):
        async def call(self, context: StepContext) -> Success:
            await asyncio.sleep(0)
            return self.success({"n": context.get_input("even_number")})

    assert asyncio.run(Async().call(StepContext(EVENT))) == Success({"n": 6})
