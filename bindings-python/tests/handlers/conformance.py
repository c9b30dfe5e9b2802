"""The conformance handlers (shared/conformance/README.md) in Python: the same callables as the
Java ones in examples/, registered by ``handler_name``."""

from __future__ import annotations

import time
from typing import Any

from tasker_core import (
    PermanentError,
    StepContext,
    StepHandler,
    StepHandlerResult,
)

MAX_SAFE = 2**53 - 1


def read_int(value: Any, what: str) -> int:
    """An integer given as a JSON number or a decimal string (beyond 2^53−1)."""
    if isinstance(value, bool):
        raise PermanentError(
            f"{what} must be an integer, got {value!r}", error_type="validation_error"
        )
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise PermanentError(f"{what} must be an integer, got {value!r}", error_type="validation_error")


def write_int(n: int) -> int | str:
    """A number while it fits in 2^53−1, else its decimal string."""
    return n if abs(n) <= MAX_SAFE else str(n)


class SquareInput(StepHandler):
    handler_name = "conformance.square_input"

    def call(self, context: StepContext) -> StepHandlerResult:
        key = context.get_config("input_key")
        if not key:
            raise PermanentError("initialization.input_key is required")
        n = read_int(context.get_input(key), key)
        return self.success({"value": write_int(n * n)})


class SquareParents(StepHandler):
    handler_name = "conformance.square_parents"

    def call(self, context: StepContext) -> StepHandlerResult:
        if not context.dependency_results:
            raise PermanentError("square_parents needs at least one parent step")
        product = 1
        for name, result in context.dependency_results.items():
            value = result.get("value") if isinstance(result, dict) else None
            product *= read_int(value, name)
        return self.success({"value": write_int(product * product)})


def amount(context: StepContext) -> int:
    return read_int(context.get_input("amount"), "amount")


class ValidateRequest(StepHandler):
    handler_name = "conformance.validate_request"

    def call(self, context: StepContext) -> StepHandlerResult:
        value = amount(context)
        if value <= 0:
            raise PermanentError(
                f"amount must be positive, got {value}", error_type="validation_error"
            )
        return self.success({"amount": value})


class RoutingDecision(StepHandler):
    handler_name = "conformance.routing_decision"

    def call(self, context: StepContext) -> StepHandlerResult:
        value = amount(context)
        if value < 1000:
            return self.decision(["auto_approve"])
        if value < 5000:
            return self.decision(["manager_approval"])
        return self.decision(["manager_approval", "finance_review"])


class Approve(StepHandler):
    handler_name = "conformance.approve"

    # an async handler: runs on the worker's asyncio loop
    async def call(self, context: StepContext) -> StepHandlerResult:
        approver = context.get_config("approver")
        if not approver:
            raise PermanentError("initialization.approver is required")
        return self.success({"approver": approver, "amount": amount(context)})


_PATHS = {("auto",): "auto", ("manager",): "manager_only", ("finance", "manager"): "dual_approval"}


class FinalizeApproval(StepHandler):
    handler_name = "conformance.finalize_approval"

    def call(self, context: StepContext) -> StepHandlerResult:
        approvers = sorted(
            r["approver"]
            for r in context.dependency_results.values()
            if isinstance(r, dict) and isinstance(r.get("approver"), str)
        )
        path = _PATHS.get(tuple(approvers))
        if path is None:
            raise PermanentError(f"unexpected set of approvers: {approvers}")
        return self.success({"approved": True, "approval_path": path, "approved_by": approvers})


class PlanBatches(StepHandler):
    handler_name = "conformance.plan_batches"

    def call(self, context: StepContext) -> StepHandlerResult:
        item_count = read_int(context.get_input("item_count"), "item_count")
        batch_size = read_int(context.get_input("batch_size"), "batch_size")
        if item_count < 0 or batch_size < 1:
            raise PermanentError(
                f"need item_count >= 0 and batch_size >= 1, got {item_count} and {batch_size}",
                error_type="validation_error",
            )
        if item_count == 0:
            return self.no_batches()
        configs = []
        for start in range(0, item_count, batch_size):
            end = min(start + batch_size, item_count)
            configs.append(
                {
                    "batch_id": f"{len(configs) + 1:03d}",
                    "start_cursor": start,
                    "end_cursor": end,
                    "batch_size": end - start,
                }
            )
        return self.batches("sum_batch", configs, item_count)


class SumBatch(StepHandler):
    """Sums [start_cursor, end_cursor), yielding a checkpoint every checkpoint_every items."""

    handler_name = "conformance.sum_batch"

    def call(self, context: StepContext) -> StepHandlerResult:
        start = read_int(context.step_inputs.get("start_cursor"), "start_cursor")
        end = read_int(context.step_inputs.get("end_cursor"), "end_cursor")
        every = int(context.get_config("checkpoint_every") or 0)
        if every <= 0:
            every = end - start  # no checkpoints asked for: the whole range at once
        cursor, processed, total = start, 0, 0
        if context.checkpoint is not None:
            cursor = read_int(context.checkpoint.cursor, "checkpoint cursor")
            processed = context.checkpoint.items_processed
            accumulated = context.checkpoint.accumulated_results or {}
            total = read_int(accumulated.get("sum"), "checkpoint sum")
        if start > end or not start <= cursor <= end:
            raise PermanentError(
                f"bad cursor {cursor} for range [{start}, {end})", error_type="validation_error"
            )
        stop = min(end, cursor + every)
        total += sum(range(cursor, stop))
        processed += stop - cursor
        if stop < end:
            return self.checkpoint_yield(stop, processed, {"sum": write_int(total)})
        return self.success({"sum": write_int(total), "items": end - start})


class Total(StepHandler):
    handler_name = "conformance.total"

    def call(self, context: StepContext) -> StepHandlerResult:
        total, items, batches = 0, 0, 0
        for name, result in context.dependency_results.items():
            if not isinstance(result, dict) or "sum" not in result:
                continue  # not a batch worker
            total += read_int(result["sum"], f"{name}.sum")
            items += read_int(result.get("items"), f"{name}.items")
            batches += 1
        return self.success({"sum": write_int(total), "items": items, "batches": batches})


class Scripted(StepHandler):
    """Fails in the way context.mode asks, to exercise retries, errors and timeouts."""

    handler_name = "conformance.scripted"

    def call(self, context: StepContext) -> StepHandlerResult:
        mode = context.get_input("mode")
        if mode == "succeed_on_third_attempt":
            if context.retry_count < 2:
                return self.failure("not yet", error_type="transient", retryable=True)
            return self.success({"value": 3})
        if mode == "permanent_failure":
            raise PermanentError("scripted permanent failure")
        if mode == "always_retryable":
            return self.failure(
                "scripted retryable failure", error_type="transient", retryable=True
            )
        if mode == "raise_exception":
            raise RuntimeError("scripted exception")
        if mode == "sleep_past_timeout":
            time.sleep(5)  # the step's timeout_seconds is 2: the core gives up first
            return self.success({"value": 3})
        raise PermanentError(f"unknown mode {mode!r}")
