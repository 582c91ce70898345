"""Python string literals for spec text: ``repr``-exact, pure ASCII, in black's quote style.

Everything printed here is a literal and nothing else: the text goes through ``repr``, so
quotes, backslashes and line breaks are escaped; every non-ASCII character becomes an escape
too, so no bidi control or line separator reaches a generated file raw.  Double quotes are
chosen when the text has none (black's preference), so black has nothing to change.
"""

from __future__ import annotations

from typing import Any


def py_str(text: str) -> str:
    literal = repr(text).encode("ascii", "backslashreplace").decode("ascii")
    if not literal.startswith("'"):
        return literal
    if '"' not in literal:
        return '"' + literal[1:-1] + '"'
    # Both kinds of quotes: black takes double quotes unless they need more escapes.
    if text.count('"') > text.count("'"):
        return literal
    return '"' + _requote(literal[1:-1]) + '"'


def _requote(body: str) -> str:
    """The body of a single-quoted literal, for double quotes: ``\\'`` → ``'``, ``"`` → ``\\"``."""
    out = []
    i = 0
    while i < len(body):
        if body[i] == "\\":
            out.append("'" if body[i + 1] == "'" else body[i : i + 2])
            i += 2
        else:
            out.append('\\"' if body[i] == '"' else body[i])
            i += 1
    return "".join(out)


def py_literal(value: Any) -> str:
    """A Python literal for a JSON value; never anything but a literal."""
    if value is None or isinstance(value, (bool, int, float, str)):
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            return f"float({str(value)!r})"
        return py_str(value) if isinstance(value, str) else repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_literal(str(k))}: {py_literal(v)}" for k, v in value.items()) + "}"
    return py_literal(str(value))
