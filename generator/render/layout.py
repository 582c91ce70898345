"""Line layout in black's style, so that black (which runs a second full pass over any file
it changed) usually finds nothing to change.

The one rule used: a bracketed list that fits in black's line length goes on one line;
otherwise one item per line with a trailing comma, which black keeps as it is (the "magic
trailing comma").  Whatever this misses, black still fixes: only speed depends on it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

WIDTH = 100  # black's line length for generated code (render/fmt.py)


def bracketed(head: str, items: Sequence[str], close: str, indent: str = "", after: str = "") -> str:
    """``head + items + close``, starting at ``indent`` (not included in the result);
    ``after``: what follows on the same line (a comma), counted in the width only."""
    one_line = head + ", ".join(items) + close
    if not items or ("\n" not in one_line and len(indent) + len(one_line) + len(after) <= WIDTH):
        return one_line
    inner = indent + "    "
    return head + "\n" + "".join(f"{inner}{item},\n" for item in items) + indent + close


def call(head: str, args: Sequence[str], indent: str) -> str:
    """``head(args)`` starting at ``indent`` (not included), split as black splits a call: on
    one line, else the arguments on one line of their own, else one argument per line."""
    one_line = f"{head}({', '.join(args)})"
    if len(indent) + len(one_line) <= WIDTH:
        return one_line
    inner = indent + "    "
    hugged = inner + ", ".join(args)
    if len(hugged) <= WIDTH:
        return f"{head}(\n{hugged}\n{indent})"
    return bracketed(f"{head}(", args, ")", indent)


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


# Black splits a too-long ``name: Outer[args] = default`` at the brackets of the annotation:
# ``name: Outer[`` / the args, indented / ``] = default``; the args stay on one line when they
# fit, else go one per line with a trailing comma, each split the same way in turn.  Lines
# whose shape this does not know are left long for black.


def subscript(expr: str) -> tuple[str, list[str]] | None:
    """``Outer[a, b]`` → ``("Outer", ["a", "b"])``; None when ``expr`` is not one subscript."""
    start = expr.find("[")
    if start <= 0 or not expr.endswith("]") or not expr[:start].replace(".", "").isidentifier():
        return None
    args: list[str] = []
    depth, begin, quote, i = 0, start + 1, "", start
    while i < len(expr):
        ch = expr[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
            if depth == 0 and i != len(expr) - 1:
                return None
        elif ch == "," and depth == 1:
            args.append(expr[begin:i].strip())
            begin = i + 1
        i += 1
    last = expr[begin:-1].strip()
    if last:
        args.append(last)
    return (expr[:start], args) if depth == 0 and args else None


def split_expr(head: str, expr: str, tail: str, indent: str) -> list[str]:
    """Lines of ``indent + head + expr + tail`` where black splits ``expr``'s brackets."""
    line = indent + head + expr + tail
    if len(line) <= WIDTH:
        return [line]
    parts = subscript(expr)
    if parts is None or len(indent + head + parts[0]) + 1 > WIDTH:
        return [line]
    outer, args = parts
    inner = indent + "    "
    one = inner + ", ".join(args)
    if len(one) <= WIDTH:
        body = [one]
    elif len(args) == 1:
        body = split_expr("", args[0], "", inner)
    else:
        body = [line for arg in args for line in split_expr("", arg, ",", inner)]
    return [indent + head + outer + "[", *body, indent + "]" + tail]


def assigned(target: str, value: str, indent: str = "") -> str:
    """``target = value`` at ``indent`` (not included), in black's layout."""
    lines = split_expr(f"{target} = ", value, "", indent)
    if len(lines) == 1 and len(lines[0]) > WIDTH and len(indent) + 4 + len(value) <= WIDTH:
        return f"{target} = (\n{indent}    {value}\n{indent})"
    return "\n".join(lines)[len(indent) :]


_ATOM = re.compile(r'-?[\w.]+|"(?:[^"\\]|\\.)*"')


def annotated(name: str, annotation: str, default: str, indent: str, trailing: str = "") -> str:
    """``name: annotation[ = default]`` + ``trailing`` at ``indent`` (not included), in black's
    layout.  ``trailing=","`` for a parameter in a split signature; without it, the statement
    stands alone and a too-long one gets black's ``= (`` / default / ``)`` when that fits."""
    assign = f" = {default}" if default else ""
    line = f"{indent}{name}: {annotation}{assign}{trailing}"
    if len(line) <= WIDTH:
        return line[len(indent) :]
    if default and not _ATOM.fullmatch(default):
        return line[len(indent) :]
    if default and not trailing and len(f"{indent}{name}: {annotation} = (") <= WIDTH:
        return f"{name}: {annotation} = (\n{indent}    {default}\n{indent})"
    if not trailing and "[" not in annotation and len(f"{indent}    {annotation}") <= WIDTH:
        return f"{name}: (\n{indent}    {annotation}\n{indent}){assign}"  # a long type hint goes in parentheses
    return "\n".join(split_expr(f"{name}: ", annotation, assign + trailing, indent))[len(indent) :]
