"""Writing a package directory atomically: a failed or interrupted run leaves the previous
output untouched.

The files are written to a temporary sibling directory, which then replaces the target by
two renames (old → backup, new → target); the backup is removed last.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path, PurePosixPath

WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)


class UnsafePathError(ValueError):
    pass


def check_relpath(rel: str) -> PurePosixPath:
    """Every output path is relative, stays inside the package directory and is portable."""
    path = PurePosixPath(rel)
    if path.is_absolute() or not path.parts or any(part in ("", ".", "..") for part in path.parts):
        raise UnsafePathError(f"refusing to write {rel!r}")
    for part in path.parts:
        if "\\" in part or ":" in part or "\0" in part or len(part.encode()) > 200:
            raise UnsafePathError(f"refusing to write {rel!r}")
        if part.split(".")[0].lower() in WINDOWS_RESERVED:
            raise UnsafePathError(f"refusing to write {rel!r}: reserved name on Windows")
    return path


def write_package(target: Path, files: dict[str, bytes]) -> None:
    lowered = [f.lower() for f in files]
    if len(set(lowered)) != len(lowered):
        raise UnsafePathError("two output files differ only by case")
    checked = {check_relpath(rel): data for rel, data in files.items()}
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=parent))
    try:
        for rel, data in sorted(checked.items()):
            dest = tmp.joinpath(*rel.parts)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
        if target.exists():
            backup = parent / f".{target.name}.old-{uuid.uuid4().hex}"
            os.rename(target, backup)
            try:
                os.rename(tmp, target)
            except BaseException:
                os.rename(backup, target)
                raise
            shutil.rmtree(backup, ignore_errors=True)
        else:
            os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
