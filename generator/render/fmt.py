"""black, pinned and called in-process; results cached by content hash; big batches spread
over every core.  Big modules go to black in pieces (``pieces``), so that a regeneration
after an API change formats again only the pieces that changed.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from ..workers import allowed, running
from .pieces import Piece, assemble, plan, strip_header

if TYPE_CHECKING:
    import black

# black is imported on first use: `sdkgen check` with nothing to do never needs it.
BLACK_VERSION: str = version("black")
_MODE_KEY = f"black {BLACK_VERSION} py39 100 mtc".encode()
# Below this much uncached source, a process pool costs more than it saves.
PARALLEL_THRESHOLD = 400_000


class FormatError(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


def cache_dir() -> Path | None:
    if os.environ.get("SDKGEN_NO_CACHE"):
        return None
    base = os.environ.get("SDKGEN_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "sdkgen"
    )
    return Path(base) / "black"


def _key(piece: Piece) -> str:
    return hashlib.sha256(_MODE_KEY + b"\0" + piece.header.encode() + b"\0" + piece.text.encode()).hexdigest()


@lru_cache(maxsize=1)
def _mode() -> black.Mode:
    import black

    return black.Mode(
        target_versions={black.TargetVersion.PY39},  # type: ignore[attr-defined]
        line_length=100,
        magic_trailing_comma=True,
    )


def format_one(source: str) -> str:
    import black

    return black.format_str(source, mode=_mode())


def format_piece(piece: Piece) -> str:
    if not piece.header:
        return format_one(piece.text)
    return strip_header(piece, format_one(piece.header + piece.text))


_Item = tuple[str, Piece]  # (the path it is from, for errors; the piece)


_Output = tuple[str, Piece, "str | None", str]  # path, piece, formatted text or None, error


def _format_item(item: _Item) -> _Output:
    path, piece = item
    try:
        return path, piece, format_piece(piece), ""
    except Exception as exc:  # noqa: BLE001 - reported as a FormatError with the path
        return path, piece, None, f"{type(exc).__name__}: {str(exc)[:300]}"


def _format_batch(items: list[_Item]) -> list[_Output]:
    return [_format_item(item) for item in items]


def _batches(items: list[_Item], size: int) -> list[list[_Item]]:
    """Pieces grouped into batches of about ``size`` characters, the biggest first: the
    workers stay busy to the end."""
    batches: list[list[_Item]] = []
    current: list[_Item] = []
    filled = 0
    for item in sorted(items, key=lambda item: -len(item[1].text)):
        current.append(item)
        filled += len(item[1].text)
        if filled >= size:
            batches.append(current)
            current, filled = [], 0
    if current:
        batches.append(current)
    return batches


def format_sources(sources: dict[str, str], jobs: int | None = None) -> dict[str, str]:
    """Format many Python sources (path → text); raises FormatError on the first failure."""
    plans = {path: plan(source) for path, source in sources.items()}
    todo: dict[Piece, str] = {}  # piece → the first path it is from
    for path, parts in sorted(plans.items()):
        for part in parts:
            if isinstance(part, Piece):
                todo.setdefault(part, path)
    formatted = _format_pieces(todo, jobs)
    return {path: assemble(parts, formatted) for path, parts in plans.items()}


def _format_pieces(pieces: dict[Piece, str], jobs: int | None) -> dict[Piece, str]:
    cache = cache_dir()
    result: dict[Piece, str] = {}
    items: list[_Item] = []
    for piece, path in pieces.items():
        hit = _read_cache(cache, _key(piece)) if cache else None
        if hit is not None:
            result[piece] = hit
        else:
            items.append((path, piece))
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    total = sum(len(piece.text) for _, piece in items)
    if workers > 1 and total > PARALLEL_THRESHOLD and allowed():
        batches = _batches(items, total // (workers * 16))
        with running(workers) as pool:
            outputs = [out for batch in pool.map(_format_batch, batches) for out in batch]
    else:
        outputs = [_format_item(item) for item in items]
    for path, piece, text, error in outputs:
        if text is None:
            raise FormatError(path, error)
        result[piece] = text
        if cache:
            _write_cache(cache, _key(piece), text)
    return result


def _read_cache(cache: Path | None, key: str) -> str | None:
    if cache is None:
        return None
    try:
        return (cache / key[:2] / key).read_text(encoding="utf-8")
    except OSError:
        return None


def _write_cache(cache: Path, key: str, text: str) -> None:
    folder = cache / key[:2]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, folder / key)
    except OSError:
        pass
