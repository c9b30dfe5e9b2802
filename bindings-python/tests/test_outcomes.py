from __future__ import annotations

import json
import math

from tasker_core import CheckpointYield, Failure, PermanentError, RetryableError, Success
from tasker_core.outcomes import (
    encode_checkpoint,
    encode_completion,
    failure_from_exception,
    handler_not_found,
    invalid_result,
)


def decode(data: bytes) -> dict:
    return json.loads(data)


def test_success_completion_matches_the_abi_document() -> None:
    doc = decode(encode_completion("e1", Success({"value": 36}, {"worker": "py"}), 1.23456, "c"))
    assert doc == {
        "event_id": "e1",
        "result": {
            "success": True,
            "status": "completed",
            "result": {"value": 36},
            "metadata": {"worker": "py", "execution_time_ms": 1.235},
        },
    }


def test_big_integers_stay_exact() -> None:
    n = 63340286662973277706162286946811886609896461828096
    doc = decode(encode_completion("e1", Success({"value": str(n), "raw": n}), 0, "c"))
    assert doc["result"]["result"] == {"value": str(n), "raw": n}


def test_failure_completion_carries_flags_backoff_and_context() -> None:
    failure = Failure(
        "rate limited", "rate_limited", True, retry_after=2.0, status_code=429, context={"k": 1}
    )
    doc = decode(encode_completion("e2", failure, 0.5, "c"))["result"]
    assert doc["success"] is False and doc["status"] == "failed" and doc["result"] is None
    assert doc["error"] == {
        "message": "rate limited",
        "error_type": "rate_limited",
        "retryable": True,
        "status_code": 429,
        "context": {"k": 1},
    }
    assert doc["backoff_hint"] == {"delay_seconds": 2.0, "reason": "rate limited"}


def test_a_result_that_is_not_json_becomes_a_precise_failure() -> None:
    for bad in ({"s": {1, 2}}, {"n": math.nan}, object()):
        doc = decode(encode_completion("e3", Success(bad), 0, "my.handler"))["result"]
        assert doc["success"] is False
        assert doc["error"]["error_type"] == "invalid_result"
        assert doc["error"]["retryable"] is False
        assert "my.handler" in doc["error"]["message"] and "not JSON" in doc["error"]["message"]


def test_error_context_that_is_not_json_is_dropped_not_fatal() -> None:
    doc = decode(encode_completion("e4", Failure("x", "t", False, context={"o": object()}), 0, "c"))
    assert doc["result"]["error"]["message"].startswith("x (error context dropped")
    assert "context" not in doc["result"]["error"]


def raise_and_catch(exc: Exception) -> BaseException:
    try:
        raise exc
    except Exception as caught:
        return caught


def test_exceptions_map_to_failures() -> None:
    permanent = failure_from_exception(
        raise_and_catch(PermanentError("bad", error_type="validation_error"))
    )
    assert (permanent.error_type, permanent.retryable, permanent.message) == (
        "validation_error",
        False,
        "bad",
    )
    retry = failure_from_exception(raise_and_catch(RetryableError("later", retry_after=3)))
    assert (retry.error_type, retry.retryable, retry.retry_after) == ("retryable_error", True, 3)
    plain = failure_from_exception(raise_and_catch(KeyError("amount")))
    assert (plain.error_type, plain.retryable, plain.message) == ("KeyError", True, "'amount'")
    assert plain.backtrace and any("raise_and_catch" in line for line in plain.backtrace)
    empty = failure_from_exception(raise_and_catch(RuntimeError()))
    assert empty.message == "RuntimeError"


def test_wrong_return_types_and_missing_handlers_are_named() -> None:
    wrong = invalid_result("conformance.square_input", {"value": 1})
    assert wrong.error_type == "invalid_result" and wrong.retryable is False
    assert "returned dict" in wrong.message and "conformance.square_input" in wrong.message
    missing = handler_not_found("nobody.home")
    assert (missing.error_type, missing.retryable) == ("handler_not_found", False)
    assert "nobody.home" in missing.message


def test_checkpoint_payload() -> None:
    payload = encode_checkpoint("e5", CheckpointYield(50, 50, {"sum": 1225}), "c")
    assert payload is not None
    assert json.loads(payload) == {
        "event_id": "e5",
        "cursor": 50,
        "items_processed": 50,
        "accumulated_results": {"sum": 1225},
    }
    assert encode_checkpoint("e6", CheckpointYield({1}, 1), "c") is None
