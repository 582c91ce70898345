"""Validation keywords the IR does not keep (lengths, ranges, patterns, formats), compared on
the raw schema nodes.

A *tightened* constraint rejects values the old one accepted: it breaks what clients send and
is harmless in what they receive.  A *loosened* one is the reverse: harmless in requests,
possibly breaking in responses (a client that validates or relies on the documented range).
A changed pattern or format is neither: possibly breaking both ways.
"""

from __future__ import annotations

from typing import Any, Literal

from .changes import BREAKING, POSSIBLY, SAFE, Change, Severity, Where

Flow = Literal["request", "response"]
Kind = Literal["tightened", "loosened", "changed"]

_UPPER = ("maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties")
_LOWER = ("minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties")
_OPAQUE = ("pattern", "format", "multipleOf")


def compare(old: Any, new: Any) -> list[tuple[str, Any, Any, Kind]]:
    """(keyword, old value, new value, kind) for every constraint that differs."""
    a = old if isinstance(old, dict) else {}
    b = new if isinstance(new, dict) else {}
    out: list[tuple[str, Any, Any, Kind]] = []
    for key in (*_UPPER, *_LOWER, *_OPAQUE, "uniqueItems"):
        x, y = a.get(key), b.get(key)
        if x == y or (key != "uniqueItems" and (isinstance(x, bool) or isinstance(y, bool))):
            continue  # OpenAPI 3.0's boolean exclusiveMinimum/-Maximum modify minimum/maximum
        out.append((key, x, y, _kind(key, x, y)))
    return out


def _kind(key: str, old: Any, new: Any) -> Kind:
    if key in _OPAQUE:
        return "tightened" if old is None else "loosened" if new is None else "changed"
    if key == "uniqueItems":
        return "tightened" if new is True else "loosened"
    if old is None or new is None:
        return "tightened" if old is None else "loosened"
    if not isinstance(old, (int, float)) or not isinstance(new, (int, float)):
        return "changed"
    smaller = new < old
    return ("tightened" if smaller else "loosened") if key in _UPPER else ("loosened" if smaller else "tightened")


def severity(kind: Kind, flow: Flow) -> Severity:
    if kind == "changed":
        return POSSIBLY
    if kind == "tightened":
        return BREAKING if flow == "request" else SAFE
    return SAFE if flow == "request" else POSSIBLY


def changes(
    old: Any, new: Any, *, prefix: str, flow: Flow, label: str, where: Where, symbols: tuple[str, ...]
) -> list[Change]:
    out = []
    for key, before, after, kind in compare(old, new):
        msg = f"{label}: {key} {_show(before)} -> {_show(after)} ({kind})"
        out.append(Change(f"{prefix}-constraint-{kind}", severity(kind, flow), msg, where, symbols, direction=flow))
    return out


def _show(value: Any) -> str:
    return "none" if value is None else repr(value)
