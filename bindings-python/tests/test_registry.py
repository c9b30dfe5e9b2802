from __future__ import annotations

import sys
from pathlib import Path

import pytest

from support import HANDLERS
from tasker_core import HandlerLoadError, HandlerRegistry, StepContext, StepHandler, Success


def test_loads_every_handler_of_a_directory_by_both_names() -> None:
    registry = HandlerRegistry()
    assert registry.load_directory(HANDLERS) >= 10
    names = registry.names()
    for callable_name in (
        "conformance.square_input",
        "conformance.square_parents",
        "conformance.validate_request",
        "conformance.routing_decision",
        "conformance.approve",
        "conformance.finalize_approval",
        "conformance.plan_batches",
        "conformance.sum_batch",
        "conformance.total",
        "conformance.scripted",
    ):
        assert callable_name in names
    by_class = registry.find("conformance.SquareInput")
    assert by_class is not None and by_class is registry.find("conformance.square_input")
    assert registry.find("nobody.home") is None


def write(directory: Path, name: str, text: str) -> None:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


HANDLER = """
from tasker_core import StepHandler

class Base(StepHandler):
    '''no call: a base class, not a handler'''

class {name}(Base):
    handler_name = "{callable}"
    def call(self, context):
        return self.success()
"""


def test_nested_files_become_dotted_modules_and_bases_are_skipped(tmp_path: Path) -> None:
    write(tmp_path, "billing/refunds.py", HANDLER.format(name="Refund", callable="billing.refund"))
    registry = HandlerRegistry()
    assert registry.load_directory(tmp_path) == 1
    assert registry.names() == ["billing.refund", "billing.refunds.Refund"]
    sys.modules.pop("billing.refunds", None)
    sys.modules.pop("billing", None)


def test_a_name_taken_twice_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "dup_one.py", HANDLER.format(name="One", callable="dup.same"))
    write(tmp_path, "dup_two.py", HANDLER.format(name="Two", callable="dup.same"))
    with pytest.raises(
        HandlerLoadError, match="'dup.same' is taken by both dup_one.One and dup_two.Two"
    ):
        HandlerRegistry().load_directory(tmp_path)


def test_a_file_that_fails_to_import_is_named(tmp_path: Path) -> None:
    write(tmp_path, "broken_handler.py", "def oops(:\n")
    with pytest.raises(HandlerLoadError, match=r"broken_handler.py: cannot import: SyntaxError"):
        HandlerRegistry().load_directory(tmp_path)


def test_a_file_shadowing_an_imported_module_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "json.py", "")
    with pytest.raises(HandlerLoadError, match="module name 'json' is already taken"):
        HandlerRegistry().load_directory(tmp_path)


def test_missing_directory_and_non_handlers_are_refused(tmp_path: Path) -> None:
    with pytest.raises(HandlerLoadError, match="not a directory"):
        HandlerRegistry().load_directory(tmp_path / "nope")
    with pytest.raises(HandlerLoadError, match="is not a StepHandler subclass"):
        HandlerRegistry().register(dict)  # type: ignore[arg-type]


def test_register_by_hand() -> None:
    class Inline(StepHandler):
        handler_name = "inline.handler"

        def call(self, context: StepContext) -> Success:
            return self.success()

    registry = HandlerRegistry()
    first = registry.register(Inline)
    assert registry.register(Inline) is first
    assert len(registry) == 1
    assert registry.find("inline.handler") is first
