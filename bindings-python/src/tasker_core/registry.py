"""Handler registration: by ``handler_name`` and by ``module.ClassName``, and loading every ``.py``
file of a handlers directory."""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path
from types import ModuleType

from .errors import TaskerError
from .handler import StepHandler


class HandlerLoadError(TaskerError):
    """A handlers directory could not be loaded (a file fails to import, a name is taken twice)."""

    code, type_name = -1, "TASKER_E_INVALID"


class HandlerRegistry:
    """Callable name → one shared handler instance (handlers must be safe to call concurrently)."""

    def __init__(self) -> None:
        self._by_name: dict[str, StepHandler] = {}
        self._classes: list[type[StepHandler]] = []

    def register(self, handler_class: type[StepHandler]) -> StepHandler:
        """Registers under ``handler_name`` (when set) and ``module.ClassName``."""
        if not (inspect.isclass(handler_class) and issubclass(handler_class, StepHandler)):
            raise HandlerLoadError(f"{handler_class!r} is not a StepHandler subclass")
        if handler_class in self._classes:
            return self._by_name[self._names_of(handler_class)[0]]
        instance = handler_class()
        for name in self._names_of(handler_class):
            owner = self._by_name.get(name)
            if owner is not None:
                raise HandlerLoadError(
                    f"handler name '{name}' is taken by both {_qualified(type(owner))} "
                    f"and {_qualified(handler_class)}"
                )
            self._by_name[name] = instance
        self._classes.append(handler_class)
        return instance

    @staticmethod
    def _names_of(handler_class: type[StepHandler]) -> list[str]:
        names = [_qualified(handler_class)]
        declared = handler_class.handler_name
        if not isinstance(declared, str):
            raise HandlerLoadError(f"{_qualified(handler_class)}.handler_name must be a string")
        if declared and declared not in names:
            names.insert(0, declared)
        return names

    def find(self, callable_name: str) -> StepHandler | None:
        return self._by_name.get(callable_name)

    def names(self) -> list[str]:
        """Every callable this registry answers to, sorted."""
        return sorted(self._by_name)

    def __len__(self) -> int:
        return len(self._classes)

    def register_module(self, module: ModuleType) -> int:
        """Registers every concrete StepHandler subclass defined in ``module``; returns how many."""
        count = 0
        for _, member in inspect.getmembers(module, inspect.isclass):
            if _is_handler_defined_in(member, module):
                self.register(member)
                count += 1
        return count

    def load_directory(self, directory: str | Path) -> int:
        """Imports every ``.py`` file under ``directory`` (recursively; the directory goes on
        ``sys.path`` so handler files can import their helpers) and registers their handlers.
        Returns the number of handler classes registered."""
        root = Path(directory).resolve()
        if not root.is_dir():
            raise HandlerLoadError(f"--handlers {directory}: not a directory")
        if str(root) not in sys.path:
            sys.path.insert(0, str(root))
        count = 0
        for file in sorted(root.rglob("*.py")):
            if "__pycache__" in file.parts:
                continue
            count += self.register_module(_import_file(root, file))
        return count


def _is_handler_defined_in(member: type, module: ModuleType) -> bool:
    """A concrete handler class of ``module``: imported classes and bases without ``call`` are
    left out."""
    return (
        issubclass(member, StepHandler)
        and member is not StepHandler
        and member.__module__ == module.__name__
        and member.call is not StepHandler.call
        and not inspect.isabstract(member)
    )


def _qualified(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _module_name(root: Path, file: Path) -> str:
    parts = list(file.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _import_file(root: Path, file: Path) -> ModuleType:
    name = _module_name(root, file)
    if not name:
        raise HandlerLoadError(f"{file}: an __init__.py at the top of --handlers is not a module")
    existing = sys.modules.get(name)
    if existing is not None:
        existing_file = getattr(existing, "__file__", None)
        if existing_file is None or Path(existing_file).resolve() != file:
            raise HandlerLoadError(
                f"{file}: module name '{name}' is already taken by {existing_file or 'a built-in'}"
                "; rename the file"
            )
        return existing
    try:
        return importlib.import_module(name)
    except Exception as e:
        raise HandlerLoadError(f"{file}: cannot import: {type(e).__name__}: {e}") from e
