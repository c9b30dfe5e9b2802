"""Handlers that break the rules: the worker must turn each into one precise failed completion."""

from __future__ import annotations

import math
import os
import time
from pathlib import Path
from typing import Any

from tasker_core import RetryableError, StepContext, StepHandler, StepHandlerResult


class ReturnsDict(StepHandler):
    handler_name = "py_bad.returns_dict"

    def call(self, context: StepContext) -> Any:
        return {"value": 1}  # not a StepHandlerResult


class ReturnsNone(StepHandler):
    handler_name = "py_bad.returns_none"

    def call(self, context: StepContext) -> Any:
        return None


class ReturnsSet(StepHandler):
    handler_name = "py_bad.returns_set"

    def call(self, context: StepContext) -> StepHandlerResult:
        return self.success({"values": {1, 2, 3}})  # a set is not JSON


class ReturnsNan(StepHandler):
    handler_name = "py_bad.returns_nan"

    def call(self, context: StepContext) -> StepHandlerResult:
        return self.success({"value": math.nan})


class PaymentDeclined(Exception):
    pass


class RaisesCustom(StepHandler):
    handler_name = "py_bad.raises_custom"

    def call(self, context: StepContext) -> StepHandlerResult:
        raise PaymentDeclined("card declined")


class AsyncRaises(StepHandler):
    handler_name = "py_bad.async_raises"

    async def call(self, context: StepContext) -> StepHandlerResult:
        raise ValueError("async handler failed")


class RetryLater(StepHandler):
    handler_name = "py_bad.retry_later"

    def call(self, context: StepContext) -> StepHandlerResult:
        if context.retry_count == 0:
            raise RetryableError("rate limited", retry_after=0.2, error_type="rate_limited")
        return self.success({"attempts": context.attempts})


class LongSleep(StepHandler):
    """Announces itself through a marker file, then sleeps far longer than any test waits."""

    handler_name = "py_slow.long_sleep"

    def call(self, context: StepContext) -> StepHandlerResult:
        marker = os.environ.get("TASKER_TEST_MARKER")
        if marker:
            Path(marker).write_text(context.step_uuid, encoding="utf-8")
        time.sleep(float(os.environ.get("TASKER_TEST_SLEEP", "60")))
        return self.success({"slept": True})
