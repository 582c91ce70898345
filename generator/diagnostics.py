"""Diagnostics: collected, never raised one at a time.

A diagnostic has a level (``error``: nothing is written; ``warning``: a piece was
approximated, or left out at no cost to the SDK), a message, the file it is about and a
JSON pointer into that file, plus an optional hint.  The CLI prints every one of them.

An error marked ``skipped`` is the exception to "nothing is written": a broken ``$ref``
costs only the schema or operation that needs it (``generator.ir.skips``), which is left
out, named in the error; the rest is generated, and ``sdkgen generate`` exits 3.  With
``--strict`` every diagnostic is a plain error and nothing is written.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field


class Level(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


def escape_pointer_token(token: str | int) -> str:
    """Escape one JSON pointer reference token (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer(*tokens: str | int) -> str:
    """Build a JSON pointer from raw (unescaped) tokens: ``pointer("paths", "/a")`` → ``/paths/~1a``."""
    return "".join("/" + escape_pointer_token(t) for t in tokens)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    level: Level
    message: str
    file: str = ""
    pointer: str = ""
    hint: str = ""
    summary: bool = False  # "N more ... not shown": printed after the others of its file and level
    skipped: bool = False  # an error that cost only the piece it names: the rest is still generated

    @property
    def blocking(self) -> bool:
        """An error that stops generation: nothing is written."""
        return self.level is Level.ERROR and not self.skipped

    def format(self) -> str:
        """One line: ``level: file#pointer: message (hint: ...)``.  Spec text cannot break it:
        control characters are folded or escaped, the pointer is printed in its URI-fragment
        form for the characters that would make the line ambiguous (``%20`` for a space), and
        very long pointers and messages are shortened."""
        where = _one_line(self.file) or "<input>"
        if self.pointer or self.file:
            where += "#" + short_pointer(self.pointer)
        text = f"{self.level.value}: {where}: {_clip(_one_line(self.message))}"
        if self.hint:
            text += f" (hint: {_clip(_one_line(self.hint))})"
        return text

    def sort_key(self) -> tuple[int, str, bool, str, str]:
        return (0 if self.level is Level.ERROR else 1, self.file, self.summary, self.pointer, self.message)


def _one_line(text: str) -> str:
    """Diagnostics are one line each: fold control characters so spec text cannot forge lines;
    escape bidi controls (they reorder what a terminal shows) and lone surrogates (not text)."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in "\r\n\t\x0b\x0c\x85\u2028\u2029":
            out.append(" ")
        elif code < 32 or code == 127 or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
            out.append(f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


MAX_MESSAGE = 1000
# Pointers longer than this (or with more segments) are printed as their first and last
# segments around "…": a 500-level pointer or a 10 MB property name must not become the line.
MAX_POINTER = 300
_HEAD_SEGMENTS, _TAIL_SEGMENTS, _MAX_SEGMENT = 8, 2, 60


def _clip(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


def _fragment_char(ch: str) -> str:
    """A pointer character as printed: percent-encoded (UTF-8, as in a ``$ref`` fragment) when
    it is ``%``, whitespace, a control, format or unassigned character, or a lone surrogate."""
    if ch == "%" or not ch.isprintable() or ch.isspace():
        return "".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))
    return ch


def short_pointer(pointer: str) -> str:
    """A JSON pointer as printed in a diagnostic: unambiguous, one line, bounded length."""
    text = "".join(_fragment_char(ch) for ch in pointer)
    segments = text.split("/")[1:]
    if len(text) <= MAX_POINTER and len(segments) <= _HEAD_SEGMENTS + _TAIL_SEGMENTS + 1:
        return text
    clipped = [s if len(s) <= _MAX_SEGMENT else s[: _MAX_SEGMENT - 1] + "…" for s in segments]
    if len(clipped) > _HEAD_SEGMENTS + _TAIL_SEGMENTS + 1:
        hidden = len(clipped) - _HEAD_SEGMENTS - _TAIL_SEGMENTS
        clipped = [*clipped[:_HEAD_SEGMENTS], f"…(+{hidden})…", *clipped[-_TAIL_SEGMENTS:]]
    return "".join("/" + s for s in clipped)


@dataclass(slots=True)
class Diagnostics:
    """A mutable collector used while one stage runs; stages hand back tuples."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, message: str, file: str = "", pointer: str = "", hint: str = "") -> None:
        self.items.append(Diagnostic(Level.ERROR, message, file, pointer, hint))

    def warning(self, message: str, file: str = "", pointer: str = "", hint: str = "") -> None:
        self.items.append(Diagnostic(Level.WARNING, message, file, pointer, hint))

    def skipped(self, message: str, file: str = "", pointer: str = "", hint: str = "") -> None:
        """An error that cost one piece of the SDK (named in ``message``), not all of it."""
        self.items.append(Diagnostic(Level.ERROR, message, file, pointer, hint, skipped=True))

    def extend(self, other: Diagnostics | tuple[Diagnostic, ...] | list[Diagnostic]) -> None:
        self.items.extend(other.items if isinstance(other, Diagnostics) else other)

    @property
    def has_errors(self) -> bool:
        return any(d.blocking for d in self.items)

    def sorted(self) -> tuple[Diagnostic, ...]:
        unique = dict.fromkeys(self.items)
        return tuple(sorted(unique, key=Diagnostic.sort_key))


MAX_REPEATS = 50


def add_capped(target: Diagnostics, found: Sequence[Diagnostic], what: str, cap: int = MAX_REPEATS) -> None:
    """Add the first ``cap`` diagnostics of ``found`` (in printing order) and one line that
    counts the rest: a document with 100,000 copies of one problem gets 51 lines, not 100,000."""
    ordered = sorted(found, key=Diagnostic.sort_key)
    target.items.extend(ordered[:cap])
    if len(ordered) > cap:
        first = ordered[cap]
        more = Diagnostic(
            first.level,
            f"{len(ordered) - cap} more {what} not shown",
            first.file,
            "",
            summary=True,
            skipped=first.skipped,
        )
        target.items.append(more)


class SpecError(Exception):
    """Raised to stop the pipeline when there are error diagnostics; carries all of them."""

    def __init__(self, diagnostics: tuple[Diagnostic, ...]) -> None:
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.level is Level.ERROR]
        errors.sort(key=lambda d: not d.blocking)
        super().__init__(errors[0].format() if errors else "invalid input")
