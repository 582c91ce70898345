"""The custom code in a package: what the maintainer added to or changed in sdkgen's output.

Like Stainless's custom-code budget: every file that differs from pure generated output, with
the lines added and removed against what sdkgen generated (the pristine store).  Three kinds:

- ``edited``: a generated file with hand edits (kept by the three-way merge);
- ``taken over``: a generated path ``.sdkgenignore`` gives to the maintainer;
- ``yours``: a file sdkgen never generated (tests, docs, helper modules): all its lines.

``sdkgen check --custom-code`` prints it (``json`` for a CI budget).
"""

from __future__ import annotations

import difflib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from .ignore import IGNORE_FILE
from .previous import SIDECARS, Previous, read_previous
from .store import sha256

# Tool caches and repositories that may sit inside a package directory: never custom code.
SKIPPED_DIRS = frozenset(
    {".git", "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".nox", ".tox", ".venv"}
)


@dataclass(frozen=True, slots=True)
class CustomFile:
    path: str
    kind: str  # "edited", "taken over" or "yours"
    added: int
    removed: int
    known: bool = True  # False: the generated text was not available, so lines are not counted


def line_changes(old: bytes, new: bytes) -> tuple[int, int]:
    """Lines added and removed from ``old`` to ``new``."""
    a = old.decode("utf-8", "replace").splitlines()
    b = new.decode("utf-8", "replace").splitlines()
    added = removed = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += i2 - i1
            added += j2 - j1
    return added, removed


def own_files(package_dir: Path, previous: Previous) -> list[str]:
    """Files in the package directory that no generation produced."""
    generated = set(previous.generated) | SIDECARS
    out = []
    for path in sorted(package_dir.rglob("*")):
        rel = path.relative_to(package_dir)
        if SKIPPED_DIRS.intersection(rel.parts[:-1]) or not path.is_file():
            continue
        if rel.as_posix() not in generated:
            out.append(rel.as_posix())
    return out


def custom_code(previous: Previous) -> list[CustomFile]:
    package_dir = previous.package_dir
    store = previous.store() or {}
    out = []
    for kind, recorded in (("edited", previous.files), ("taken over", previous.ignored)):
        for path, digest in sorted(recorded.items()):
            target = package_dir / path
            if not target.is_file():
                continue
            data = target.read_bytes()
            if sha256(data) == digest:
                continue
            base = store.get(path)
            if base is None or sha256(base) != digest:
                out.append(CustomFile(path, kind, 0, 0, known=False))
            else:
                out.append(CustomFile(path, kind, *line_changes(base, data)))
    for path in own_files(package_dir, previous):
        if path == IGNORE_FILE:
            continue
        data = (package_dir / path).read_bytes()
        out.append(CustomFile(path, "yours", len(data.decode("utf-8", "replace").splitlines()), 0))
    return out


def custom_code_in(package_dir: Path) -> list[CustomFile]:
    """The custom code of a package directory (none before its first generation)."""
    previous, _ = read_previous(package_dir)
    return custom_code(previous) if previous is not None else []


def summary(files: list[CustomFile]) -> str:
    added = sum(f.added for f in files)
    removed = sum(f.removed for f in files)
    kinds = ", ".join(f"{n} {k}" for k in ("edited", "taken over", "yours") if (n := sum(f.kind == k for f in files)))
    return f"{len(files)} file(s), +{added} -{removed} lines" + (f" ({kinds})" if kinds else "")


def as_text(package_dir: Path, files: list[CustomFile]) -> str:
    lines = [f"custom code in {package_dir} (lines against what sdkgen generated):"]
    for f in files:
        counts = f"+{f.added} -{f.removed}" if f.known else "(no pristine copy to compare)"
        lines.append(f"  {f.kind:<10}  {counts:>14}  {f.path}")
    lines.append(f"  total: {summary(files)}")
    return "\n".join(lines) + "\n"


def as_json(reports: list[tuple[str, Path, list[CustomFile]]]) -> str:
    doc = {
        "targets": [
            {
                "target": name,
                "package_dir": str(package_dir),
                "files": [asdict(f) for f in files],
                "totals": {
                    "files": len(files),
                    "added": sum(f.added for f in files),
                    "removed": sum(f.removed for f in files),
                },
            }
            for name, package_dir, files in reports
        ]
    }
    return json.dumps(doc, indent=2) + "\n"
