"""``.sdkgenignore``: generated paths the maintainer has taken over.

Gitignore syntax (read by ``pathspec``, the library black and many others use for
``.gitignore``), relative to the package directory.  A generated path it matches is never
written or removed again; its content is the maintainer's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pathspec

from ..diagnostics import Diagnostic, Level

IGNORE_FILE = ".sdkgenignore"


@dataclass(frozen=True, slots=True)
class IgnoreRules:
    """The rules of one package directory (none when it has no ignore file)."""

    source: Path | None
    match: Callable[[str], bool] | None

    def matches(self, path: str) -> bool:
        return self.match is not None and self.match(path)


def load_ignore(package_dir: Path) -> tuple[IgnoreRules, tuple[Diagnostic, ...]]:
    """The ignore rules of ``package_dir``, and an error for each line that cannot be read."""
    path = package_dir / IGNORE_FILE
    if not path.exists() and not path.is_symlink():
        return IgnoreRules(None, None), ()
    hint = "gitignore syntax, one pattern per line, relative to the package directory"
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return IgnoreRules(path, None), (_error(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})", hint),)
    except OSError as exc:
        return IgnoreRules(path, None), (_error(path, f"cannot be read: {exc.strerror or exc}", hint),)
    lines = text.splitlines()
    errors = []
    for number, line in enumerate(lines, 1):
        if "\0" in line:
            errors.append(_error(path, f"line {number}: contains a NUL character", hint))
            continue
        try:
            pathspec.GitIgnoreSpec.from_lines([line])
        except (ValueError, TypeError) as exc:
            errors.append(_error(path, f"line {number}: {line!r} is not a valid pattern ({exc})", hint))
    if errors:
        return IgnoreRules(path, None), tuple(errors)
    return IgnoreRules(path, pathspec.GitIgnoreSpec.from_lines(lines).match_file), ()


def _error(path: Path, message: str, hint: str) -> Diagnostic:
    return Diagnostic(Level.ERROR, f"{IGNORE_FILE} {message}", str(path), "", hint)
