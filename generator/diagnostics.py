"""Diagnostics: collected, never raised one at a time.

A diagnostic has a level (``error``: nothing is written; ``warning``: a piece was
skipped or approximated), a message, the file it is about and a JSON pointer into
that file, plus an optional hint.  The CLI prints every one of them.
"""

from __future__ import annotations

import enum
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

    def format(self) -> str:
        where = self.file or "<input>"
        if self.pointer or self.file:
            where += "#" + self.pointer
        text = f"{self.level.value}: {where}: {_one_line(self.message)}"
        if self.hint:
            text += f" (hint: {_one_line(self.hint)})"
        return text

    def sort_key(self) -> tuple[int, str, str, str]:
        return (0 if self.level is Level.ERROR else 1, self.file, self.pointer, self.message)


def _one_line(text: str) -> str:
    """Diagnostics are one line each: fold control characters so spec text cannot forge lines."""
    out = []
    for ch in text:
        if ch in "\r\n\t\x0b\x0c\x85\u2028\u2029":
            out.append(" ")
        elif ord(ch) < 32 or ord(ch) == 127 or 0x202A <= ord(ch) <= 0x202E or 0x2066 <= ord(ch) <= 0x2069:
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


@dataclass(slots=True)
class Diagnostics:
    """A mutable collector used while one stage runs; stages hand back tuples."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, message: str, file: str = "", pointer: str = "", hint: str = "") -> None:
        self.items.append(Diagnostic(Level.ERROR, message, file, pointer, hint))

    def warning(self, message: str, file: str = "", pointer: str = "", hint: str = "") -> None:
        self.items.append(Diagnostic(Level.WARNING, message, file, pointer, hint))

    def extend(self, other: Diagnostics | tuple[Diagnostic, ...] | list[Diagnostic]) -> None:
        self.items.extend(other.items if isinstance(other, Diagnostics) else other)

    @property
    def has_errors(self) -> bool:
        return any(d.level is Level.ERROR for d in self.items)

    def sorted(self) -> tuple[Diagnostic, ...]:
        unique = dict.fromkeys(self.items)
        return tuple(sorted(unique, key=Diagnostic.sort_key))


class SpecError(Exception):
    """Raised to stop the pipeline when there are error diagnostics; carries all of them."""

    def __init__(self, diagnostics: tuple[Diagnostic, ...]) -> None:
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.level is Level.ERROR]
        super().__init__(errors[0].format() if errors else "invalid input")
