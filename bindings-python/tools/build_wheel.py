#!/usr/bin/env python3
"""Builds the tasker-core-py wheel with the standard library only (no pip, build or setuptools):
the package sources, libtasker.so, the shaded core jar(s) and the AOT cache under
``tasker_core/_lib/``, and a dist-info with METADATA, WHEEL, entry_points.txt and RECORD.

    build_wheel.py --lib libtasker.so --jar tasker-bridge.jar [--aot tasker.aot] --out DIR
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent / "src" / "tasker_core"
DIST_NAME = "tasker_core_py"
TAG = "py3-none-linux_x86_64"
EPOCH = (1980, 1, 1, 0, 0, 0)  # reproducible: the same inputs give the same wheel


def package_version() -> str:
    text = (SOURCE / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if not match:
        raise SystemExit(f"no __version__ in {SOURCE / '__init__.py'}")
    return match.group(1)


def metadata(version: str) -> str:
    readme = (HERE.parent / "README.md").read_text(encoding="utf-8")
    return (
        "Metadata-Version: 2.1\n"
        "Name: tasker-core-py\n"
        f"Version: {version}\n"
        "Summary: tasker workflow engine for Python: step handlers, worker and client\n"
        "License: MIT\n"
        "Requires-Python: >=3.10\n"
        "Classifier: Programming Language :: Python :: 3\n"
        "Classifier: Operating System :: POSIX :: Linux\n"
        "Classifier: Typing :: Typed\n"
        "Description-Content-Type: text/markdown\n"
        "\n" + readme
    )


def record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode("ascii")


def build(lib: Path, jars: list[Path], aot: Path | None, out: Path) -> Path:
    version = package_version()
    dist_info = f"{DIST_NAME}-{version}.dist-info"
    files: dict[str, bytes] = {}
    for source in sorted(SOURCE.rglob("*")):
        if source.is_file() and "__pycache__" not in source.parts and "_lib" not in source.parts:
            files[f"tasker_core/{source.relative_to(SOURCE).as_posix()}"] = source.read_bytes()
    files["tasker_core/_lib/libtasker.so"] = lib.read_bytes()
    for jar in jars:
        files[f"tasker_core/_lib/{jar.name}"] = jar.read_bytes()
    if aot is not None:
        files["tasker_core/_lib/tasker.aot"] = aot.read_bytes()
    files[f"{dist_info}/METADATA"] = metadata(version).encode("utf-8")
    files[f"{dist_info}/WHEEL"] = (
        "Wheel-Version: 1.0\nGenerator: tasker build_wheel.py\nRoot-Is-Purelib: false\n"
        f"Tag: {TAG}\n"
    ).encode("ascii")
    files[
        f"{dist_info}/entry_points.txt"
    ] = b"[console_scripts]\ntasker-py = tasker_core.cli:main\n"
    record = [f"{name},{record_hash(data)},{len(data)}" for name, data in files.items()]
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode("utf-8")

    out.mkdir(parents=True, exist_ok=True)
    wheel = out / f"{DIST_NAME}-{version}-{TAG}.whl"
    with zipfile.ZipFile(wheel, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.external_attr = (0o755 if name.endswith(".so") else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return wheel


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--lib", type=Path, required=True, help="libtasker.so to ship")
    parser.add_argument(
        "--jar",
        type=Path,
        action="append",
        required=True,
        help="shaded core jar to ship (repeatable)",
    )
    parser.add_argument("--aot", type=Path, help="AOT cache to ship, when there is one")
    parser.add_argument("--out", type=Path, required=True, help="directory for the wheel")
    args = parser.parse_args(argv)
    for path in [args.lib, *args.jar, *([args.aot] if args.aot else [])]:
        if not path.is_file():
            parser.error(f"{path}: no such file")
    wheel = build(args.lib, args.jar, args.aot, args.out)
    print(wheel)
    return 0


if __name__ == "__main__":
    sys.exit(main())
