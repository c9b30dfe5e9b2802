from __future__ import annotations

import pytest

from tasker_core import errors


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (-1, errors.ValidationError),
        (-2, errors.NotInitializedError),
        (-3, errors.NotRunningError),
        (-4, errors.UnknownEventError),
        (-5, errors.EventExpiredError),
        (-6, errors.AlreadyCompletedError),
        (-7, errors.JvmError),
        (-8, errors.NotFoundError),
        (-9, errors.ConflictError),
        (-10, errors.UnavailableError),
        (-11, errors.TaskTimeoutError),
        (-99, errors.InternalError),
        (-42, errors.InternalError),
    ],
)
def test_status_codes_map_to_exception_classes(status: int, cls: type) -> None:
    error = errors.error_for_status(
        status, {"error": {"code": status, "type": "X", "message": "m", "path": "$.a"}}
    )
    assert type(error) is cls
    assert isinstance(error, errors.TaskerError)
    assert (error.message, error.path) == ("m", "$.a")


def test_missing_error_document_still_gives_a_message() -> None:
    error = errors.error_for_status(-8, None)
    assert isinstance(error, errors.NotFoundError)
    assert "status -8" in str(error)
