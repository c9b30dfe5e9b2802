"""The native loader refuses, with a precise message, every library it must not use."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tasker_core import LibraryLoadError
from tasker_core import _native

ABI_FUNCTIONS = [
    "tasker_init",
    "tasker_worker_start",
    "tasker_worker_stop",
    "tasker_worker_status",
    "tasker_poll",
    "tasker_complete",
    "tasker_checkpoint",
    "tasker_client",
    "tasker_log",
    "tasker_buf_free",
    "tasker_shutdown",
]


def compile_library(tmp_path: Path, source: str) -> Path:
    if shutil.which("gcc") is None:
        pytest.skip("gcc is needed to build the fake libraries")
    c_file = tmp_path / "lib.c"
    c_file.write_text(source, encoding="utf-8")
    library = tmp_path / "libfake.so"
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", str(library), str(c_file)], check=True)
    return library


def test_a_library_of_another_abi_version_is_refused(tmp_path: Path) -> None:
    stubs = "\n".join(f"int {name}(void) {{ return -99; }}" for name in ABI_FUNCTIONS)
    library = compile_library(tmp_path, f"int tasker_abi_version(void) {{ return 2; }}\n{stubs}\n")
    with pytest.raises(
        LibraryLoadError, match="implements tasker ABI version 2; this package needs version 1"
    ):
        _native.NativeLibrary(library)


def test_a_library_without_the_abi_is_refused(tmp_path: Path) -> None:
    library = compile_library(tmp_path, "int something_else(void) { return 0; }\n")
    with pytest.raises(LibraryLoadError, match="is not a tasker library"):
        _native.NativeLibrary(library)


def test_a_file_that_is_no_library_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "libtasker.so"
    fake.write_text("not an ELF file", encoding="utf-8")
    with pytest.raises(LibraryLoadError, match="cannot load .*libtasker.so"):
        _native.NativeLibrary(fake)


def test_discovery_names_what_it_tried(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(_native, "_PACKAGE_LIB_DIR", tmp_path / "_lib")
    monkeypatch.delenv("TASKER_LIBRARY", raising=False)
    with pytest.raises(
        LibraryLoadError, match=r"libtasker.so not found: looked in .*_lib/libtasker.so"
    ):
        _native.find_library()
    monkeypatch.setenv("TASKER_LIBRARY", str(tmp_path / "missing.so"))
    with pytest.raises(LibraryLoadError, match="TASKER_LIBRARY=.*missing.so does not exist"):
        _native.find_library()


def test_packaged_files_win_over_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    lib_dir = tmp_path / "_lib"
    lib_dir.mkdir()
    (lib_dir / "libtasker.so").write_bytes(b"")
    (lib_dir / "tasker-bridge-0.1.0-all.jar").write_bytes(b"")
    (lib_dir / "tasker.aot").write_bytes(b"")
    monkeypatch.setattr(_native, "_PACKAGE_LIB_DIR", lib_dir)
    monkeypatch.setenv("TASKER_LIBRARY", "/elsewhere/libtasker.so")
    monkeypatch.setenv("TASKER_CLASSPATH", "/elsewhere/a.jar")
    monkeypatch.setenv("TASKER_JVM_OPTIONS", "-Xmx128m -Dx=y")
    assert _native.find_library() == lib_dir / "libtasker.so"
    config = _native.default_init_config({"log_level": "debug"})
    assert config == {
        "classpath": [str(lib_dir / "tasker-bridge-0.1.0-all.jar")],
        "aot_cache": str(lib_dir / "tasker.aot"),
        "jvm_options": ["-Xmx128m", "-Dx=y"],
        "log_level": "debug",
    }


def test_development_classpath_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(_native, "_PACKAGE_LIB_DIR", tmp_path / "_lib")
    monkeypatch.setenv("TASKER_CLASSPATH", f"/a/core.jar:/b/bridge.jar:")
    assert _native.find_classpath() == ["/a/core.jar", "/b/bridge.jar"]
