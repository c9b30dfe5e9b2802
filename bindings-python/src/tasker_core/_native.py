"""The native layer: loads libtasker.so with ctypes, checks its ABI version, turns every call into
JSON in / JSON out, frees every ``tasker_buf`` and maps negative status codes to exceptions.

ctypes releases the GIL around each foreign call (``CDLL``, not ``PyDLL``), so a blocking
``tasker_poll`` never stalls the interpreter's other threads.
"""

from __future__ import annotations

import ctypes
import json
import os
import sys
import threading
from pathlib import Path
from typing import Any

from .errors import LibraryLoadError, error_for_status

ABI_VERSION = 1

# CPython's ctypes releases the GIL around foreign calls; GraalPy's keeps it, so a call that
# blocks (a poll with a timeout, task.wait) would stop every other Python thread meanwhile.
# Callers then use non-blocking calls and wait in Python (which releases the lock).
CALLS_RELEASE_GIL = sys.implementation.name != "graalpy"
LIBRARY_NAME = "libtasker.so"
_PACKAGE_LIB_DIR = Path(__file__).resolve().parent / "_lib"


class TaskerBuf(ctypes.Structure):
    """``typedef struct { uint8_t* ptr; size_t len; } tasker_buf;``"""

    _fields_ = [("ptr", ctypes.c_void_p), ("len", ctypes.c_size_t)]


def _dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), allow_nan=False).encode("utf-8")


def find_library() -> Path:
    """libtasker.so inside the installed package, else ``$TASKER_LIBRARY`` (development)."""
    packaged = _PACKAGE_LIB_DIR / LIBRARY_NAME
    if packaged.is_file():
        return packaged
    env = os.environ.get("TASKER_LIBRARY")
    if env:
        if Path(env).is_file():
            return Path(env)
        raise LibraryLoadError(f"TASKER_LIBRARY={env} does not exist")
    raise LibraryLoadError(
        f"{LIBRARY_NAME} not found: looked in {packaged} (the installed package) and "
        "$TASKER_LIBRARY (unset); install the tasker-core-py wheel or set TASKER_LIBRARY"
    )


def find_classpath() -> list[str]:
    """The shaded core jar(s) inside the package, else ``$TASKER_CLASSPATH`` (os.pathsep list)."""
    packaged = sorted(str(p) for p in _PACKAGE_LIB_DIR.glob("*.jar"))
    if packaged:
        return packaged
    env = os.environ.get("TASKER_CLASSPATH", "")
    return [entry for entry in env.split(os.pathsep) if entry]


def find_aot_cache() -> str | None:
    packaged = _PACKAGE_LIB_DIR / "tasker.aot"
    if packaged.is_file():
        return str(packaged)
    return os.environ.get("TASKER_AOT_CACHE") or None


class NativeLibrary:
    """One loaded libtasker.so. Thread-safe: every method is a single bounded C call."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else find_library()
        try:
            lib = ctypes.CDLL(str(self.path))
        except OSError as e:
            raise LibraryLoadError(f"cannot load {self.path}: {e}") from e
        self._lib = lib
        try:
            self._declare(lib)
        except AttributeError as e:
            raise LibraryLoadError(f"{self.path} is not a tasker library: {e}") from e
        version = lib.tasker_abi_version()
        if version != ABI_VERSION:
            raise LibraryLoadError(
                f"{self.path} implements tasker ABI version {version}; this package needs "
                f"version {ABI_VERSION}: install matching versions of the wheel and the library"
            )

    @staticmethod
    def _declare(lib: ctypes.CDLL) -> None:
        buf_p = ctypes.POINTER(TaskerBuf)
        u8_p = ctypes.c_char_p
        i32, u32, size = ctypes.c_int32, ctypes.c_uint32, ctypes.c_size_t
        signatures: dict[str, tuple[Any, list[Any]]] = {
            "tasker_abi_version": (i32, []),
            "tasker_init": (i32, [u8_p, size, buf_p]),
            "tasker_worker_start": (i32, [u8_p, size, buf_p]),
            "tasker_worker_stop": (i32, [u32, buf_p]),
            "tasker_worker_status": (i32, [buf_p]),
            "tasker_poll": (i32, [u32, u32, buf_p]),
            "tasker_complete": (i32, [u8_p, size, buf_p]),
            "tasker_checkpoint": (i32, [u8_p, size, buf_p]),
            "tasker_client": (i32, [u8_p, size, buf_p]),
            "tasker_log": (i32, [i32, u8_p, size]),
            "tasker_buf_free": (None, [buf_p]),
            "tasker_shutdown": (i32, []),
        }
        for name, (restype, argtypes) in signatures.items():
            fn = getattr(lib, name)
            fn.restype = restype
            fn.argtypes = argtypes

    def _finish(self, status: int, out: TaskerBuf) -> Any:
        """Reads and frees ``out``; raises the mapped exception when ``status`` is negative."""
        try:
            raw = ctypes.string_at(out.ptr, out.len) if out.ptr and out.len else b""
        finally:
            self._lib.tasker_buf_free(ctypes.byref(out))
        document = json.loads(raw) if raw else None
        if status < 0:
            raise error_for_status(status, document)
        return document

    def _json_call(self, name: str, payload: Any) -> Any:
        data = payload if isinstance(payload, bytes) else _dumps(payload)
        out = TaskerBuf()
        status = getattr(self._lib, name)(data, len(data), ctypes.byref(out))
        return self._finish(status, out)

    def abi_version(self) -> int:
        return int(self._lib.tasker_abi_version())

    def init(self, config: dict[str, Any]) -> Any:
        return self._json_call("tasker_init", config)

    def worker_start(self, config: dict[str, Any]) -> Any:
        return self._json_call("tasker_worker_start", config)

    def worker_stop(self, grace_ms: int) -> Any:
        out = TaskerBuf()
        return self._finish(self._lib.tasker_worker_stop(grace_ms, ctypes.byref(out)), out)

    def worker_status(self) -> Any:
        out = TaskerBuf()
        return self._finish(self._lib.tasker_worker_status(ctypes.byref(out)), out)

    def poll(self, max_events: int, timeout_ms: int) -> list[dict[str, Any]]:
        out = TaskerBuf()
        events = self._finish(self._lib.tasker_poll(max_events, timeout_ms, ctypes.byref(out)), out)
        return events if isinstance(events, list) else []

    def complete(self, completions: list[Any] | dict[str, Any] | bytes) -> Any:
        """One completion object or a list of them (one call for the whole batch)."""
        return self._json_call("tasker_complete", completions)

    def checkpoint(self, payload: dict[str, Any] | bytes) -> Any:
        return self._json_call("tasker_checkpoint", payload)

    def client(self, op: str, args: dict[str, Any]) -> Any:
        return self._json_call("tasker_client", {"op": op, "args": args})

    def log(self, level: int, message: str, logger: str, fields: dict[str, Any] | None) -> int:
        doc: dict[str, Any] = {"message": message, "logger": logger}
        if fields:
            doc["fields"] = fields
        data = _dumps(doc)
        return int(self._lib.tasker_log(level, data, len(data)))

    def shutdown(self) -> int:
        return int(self._lib.tasker_shutdown())


_runtime_lock = threading.Lock()
_runtime: NativeLibrary | None = None
_init_result: Any = None


def default_init_config(extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """``tasker_init`` config: the package's jar(s) and AOT cache, ``$TASKER_JVM_OPTIONS``, ``extra``."""
    config: dict[str, Any] = {}
    classpath = find_classpath()
    if classpath:
        config["classpath"] = classpath
    aot = find_aot_cache()
    if aot:
        config["aot_cache"] = aot
    options = os.environ.get("TASKER_JVM_OPTIONS", "").split()
    if options:
        config["jvm_options"] = options
    config.update(extra or {})
    return config


def runtime(init_config: dict[str, Any] | None = None) -> NativeLibrary:
    """The process-wide library, loaded and initialised (JVM booted or attached) on first use."""
    global _runtime, _init_result
    with _runtime_lock:
        if _runtime is None:
            lib = NativeLibrary()
            _init_result = lib.init(default_init_config(init_config))
            _runtime = lib
        return _runtime


def init(**config: Any) -> Any:
    """Boots (or attaches) the core now with extra ``tasker_init`` keys (``database_url``,
    ``log_level``, ``jvm_options``, ``java_home``, …); returns what ``tasker_init`` returned.
    Only the first initialisation in a process applies its configuration."""
    runtime(config)
    return _init_result


def init_result() -> Any:
    """What ``tasker_init`` returned (``attached``, ``java_version``, ``abi_version``), or None."""
    return _init_result


def shutdown_runtime() -> None:
    """``tasker_shutdown`` for the process-wide library (destroys the JVM only if it booted it).

    Later calls into the library fail with ``NotInitializedError``; a JVM cannot be booted twice
    in one process, so this belongs at process exit.
    """
    with _runtime_lock:
        if _runtime is not None:
            _runtime.shutdown()
