"""Line layout in black's style, so that black (which runs a second full pass over any file
it changed) usually finds nothing to change.

The one rule used: a bracketed list that fits in black's line length goes on one line;
otherwise one item per line with a trailing comma, which black keeps as it is (the "magic
trailing comma").  Whatever this misses, black still fixes: only speed depends on it.
"""

from __future__ import annotations

from collections.abc import Sequence

WIDTH = 100  # black's line length for generated code (render/fmt.py)


def bracketed(head: str, items: Sequence[str], close: str, indent: str = "") -> str:
    """``head + items + close``, starting at ``indent`` (not included in the result)."""
    one_line = head + ", ".join(items) + close
    if not items or len(indent) + len(one_line) <= WIDTH:
        return one_line
    inner = indent + "    "
    return head + "\n" + "".join(f"{inner}{item},\n" for item in items) + indent + close


def import_from(module: str, names: Sequence[str], indent: str = "") -> str:
    """``from module import a, b``, parenthesized one per line when too long."""
    one_line = f"from {module} import {', '.join(names)}"
    if len(indent) + len(one_line) <= WIDTH:
        return one_line
    return bracketed(f"from {module} import (", names, ")", indent)


def names_list(target: str, names: Sequence[str], literal: object) -> str:
    """``__all__ = ["A", "B"]`` (``literal`` prints one name)."""
    assert callable(literal)
    return bracketed(f"{target} = [", [str(literal(n)) for n in names], "]")
