"""Changing a package directory atomically, file by file, around the maintainer's own files.

The package directory is the maintainer's: it holds their tests, docs and modules beside what
sdkgen wrote, so it is never replaced as a whole.  A run changes exactly the files it is given,
as one transaction, in a directory beside the package (``.<package>.sdkgen-tx``):

1. every new content is staged there (nothing in the package is touched yet);
2. a journal lists the operations;
3. each operation moves the old file into the transaction (its backup) and the staged file
   into place;
4. the journal is marked done, and the transaction directory removed.

Any exception (Ctrl-C included) during 3 puts every backup back.  A run killed outright leaves
the journal behind: the next run (``recover``) rolls it back before doing anything else, so an
interrupted run always ends as the previous tree, maintainer files included.  (The transaction
survives a killed process, not a power cut: nothing is fsynced.)
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePosixPath

WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
JOURNAL = "journal.json"


class UnsafePathError(ValueError):
    pass


class BusyError(OSError):
    """Another sdkgen run is writing this package directory."""


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


def transaction_dir(package_dir: Path) -> Path:
    return package_dir.parent / f".{package_dir.name}.sdkgen-tx"


def _step(op: Mapping[str, object]) -> None:
    """Called after each operation is applied; tests replace it to interrupt a run midway."""


after_step: Callable[[Mapping[str, object]], None] = _step


def write_package(target: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` into ``target`` (created if missing); every other file stays."""
    apply_changes(target, files, ())


def apply_changes(package_dir: Path, writes: Mapping[str, bytes], removes: Sequence[str]) -> None:
    """Write ``writes`` and delete ``removes`` (paths relative to ``package_dir``) atomically."""
    lowered = [f.lower() for f in writes]
    if len(set(lowered)) != len(lowered):
        raise UnsafePathError("two output files differ only by case")
    for rel in [*writes, *removes]:
        check_relpath(rel)
    package_dir.parent.mkdir(parents=True, exist_ok=True)
    recover(package_dir)
    tx = transaction_dir(package_dir)
    tx.mkdir()
    try:
        ops = _stage(package_dir, tx, writes, removes)
    except BaseException:
        shutil.rmtree(tx, ignore_errors=True)
        raise
    dirs = _missing_dirs(package_dir, writes)
    journal = {"pid": os.getpid(), "state": "applying", "ops": ops, "dirs": dirs}
    _write_journal(tx, journal)
    try:
        for rel in dirs:
            (package_dir / rel).mkdir()
        for op in ops:
            _apply(package_dir, tx, op)
            after_step(op)
        _write_journal(tx, {**journal, "state": "done"})
    except BaseException:
        _rollback(package_dir, tx, journal)
        shutil.rmtree(tx, ignore_errors=True)
        raise
    shutil.rmtree(tx, ignore_errors=True)
    _prune_empty_dirs(package_dir, removes)


def _stage(package_dir: Path, tx: Path, writes: Mapping[str, bytes], removes: Sequence[str]) -> list[dict[str, object]]:
    (tx / "new").mkdir()
    (tx / "old").mkdir()
    ops: list[dict[str, object]] = []
    for n, rel in enumerate(sorted(writes)):
        staged = tx / "new" / str(n)
        staged.write_bytes(writes[rel])
        dest = package_dir / rel
        if dest.is_file() and not dest.is_symlink():  # keep the file's permissions (an executable bit)
            os.chmod(staged, stat.S_IMODE(dest.stat().st_mode))
        ops.append({"id": n, "path": rel, "kind": "write"})
    for n, rel in enumerate(sorted(removes), len(ops)):
        ops.append({"id": n, "path": rel, "kind": "remove"})
    return ops


def _missing_dirs(package_dir: Path, writes: Mapping[str, bytes]) -> list[str]:
    """Directories the writes need that do not exist yet, parents first ("." is the package)."""
    missing: set[PurePosixPath] = set()
    if not package_dir.is_dir():
        missing.add(PurePosixPath("."))
    for rel in writes:
        for parent in PurePosixPath(rel).parents:
            if parent != PurePosixPath(".") and not (package_dir / parent).is_dir():
                missing.add(parent)
    return [p.as_posix() for p in sorted(missing, key=lambda p: (len(p.parts), str(p)))]


def _write_journal(tx: Path, journal: dict[str, object]) -> None:
    tmp = tx / (JOURNAL + ".tmp")
    tmp.write_text(json.dumps(journal), encoding="utf-8")
    os.replace(tmp, tx / JOURNAL)


def _apply(package_dir: Path, tx: Path, op: Mapping[str, object]) -> None:
    dest = package_dir / str(op["path"])
    if dest.exists() or dest.is_symlink():
        os.rename(dest, tx / "old" / str(op["id"]))
    if op["kind"] == "write":
        os.rename(tx / "new" / str(op["id"]), dest)


def _rollback(package_dir: Path, tx: Path, journal: Mapping[str, object]) -> None:
    """Undo the applied operations of a journal: backups back in place, new files removed."""
    ops = journal.get("ops")
    for op in reversed(ops if isinstance(ops, list) else []):
        dest = package_dir / str(op["path"])
        old, new = tx / "old" / str(op["id"]), tx / "new" / str(op["id"])
        if old.exists() or old.is_symlink():
            os.replace(old, dest)
        elif op["kind"] == "write" and not new.exists() and dest.exists():
            dest.unlink()  # moved in, with nothing before it
    dirs = journal.get("dirs")
    for rel in reversed(dirs if isinstance(dirs, list) else []):
        with contextlib.suppress(OSError):
            (package_dir / str(rel)).rmdir()


def pending(package_dir: Path) -> bool:
    """True when an interrupted run left operations that ``recover`` must roll back."""
    journal = _read_journal(transaction_dir(package_dir))
    return journal is not None and journal.get("state") == "applying"


def recover(package_dir: Path) -> bool:
    """Roll back what an interrupted run left half-done; True when there was something to undo.
    Raises ``BusyError`` while the run that owns the transaction is still alive."""
    tx = transaction_dir(package_dir)
    if not tx.exists():
        return False
    journal = _read_journal(tx)
    pid = journal.get("pid") if journal else None
    if isinstance(pid, int) and pid != os.getpid() and _alive(pid) and journal and journal.get("state") == "applying":
        raise BusyError(f"another sdkgen run (pid {pid}) is writing {package_dir}; if none is, remove {tx}")
    undo = journal is not None and journal.get("state") == "applying"
    if journal is not None and undo:
        _rollback(package_dir, tx, journal)
    shutil.rmtree(tx, ignore_errors=True)
    return undo


def _read_journal(tx: Path) -> dict[str, object] | None:
    try:
        data = json.loads((tx / JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _prune_empty_dirs(package_dir: Path, removes: Sequence[str]) -> None:
    """Directories left empty by removed files go too (never one that holds anything)."""
    for rel in sorted(removes, key=lambda r: -len(PurePosixPath(r).parts)):
        for parent in PurePosixPath(rel).parents:
            if parent == PurePosixPath("."):
                break
            try:
                (package_dir / parent).rmdir()
            except OSError:
                break
