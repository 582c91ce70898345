"""Big modules cut into pieces that black formats (and the cache keeps) one by one.

black formats a module one logical line at a time; what joins the lines is the blank lines
between them.  A piece is a run of whole statements of one block: the module, or the body of
a top-level ``class`` or ``if`` (formatted under a one-line stand-in header at the same depth,
so every line keeps its indentation and its line length).  What lies between two pieces is
only blank lines, copied as they are, and a cut is made only where black would leave that
many whatever comes before and after (``_joinable``); ``tests/test_pieces.py`` holds the
assembled pieces to black on whole modules, generated ones and some far from black's style.

The point is the cache: after an API version bump most methods of a big resource module are
unchanged, and so are their pieces; only the changed ones go through black again.  A module is
formatted whole when it is small, when it does not parse, when it uses ``fmt:`` directives, or
when no cut is safe.
"""

from __future__ import annotations

import ast
import itertools
import zlib
from dataclasses import dataclass

# Modules shorter than this are formatted whole.  A piece is at least PIECE_MIN characters
# long, and ends before a statement chosen by a hash of its text (one in CUT_ODDS): the cuts
# depend on the statements around them, not on their offsets, so a method added or removed
# changes the pieces next to it and leaves the others as they were (and cached).
WHOLE_BELOW = 24_000
PIECE_MIN = 3_000
CUT_ODDS = 2
HEADERS = {ast.ClassDef: "class _:\n", ast.If: "if _:\n"}


@dataclass(frozen=True)
class Piece:
    """Complete statements of one block; ``header`` is the stand-in block header ("" at
    module level)."""

    text: str
    header: str = ""


Plan = list["Piece | str"]  # pieces, and the blank lines between them


def plan(source: str) -> Plan:
    """The module as pieces and blank lines; one piece when it is formatted whole."""
    whole: Plan = [Piece(source)]
    if len(source) < WHOLE_BELOW or "fmt:" in source or "\r" in source or not source.endswith("\n"):
        return whole
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return whole  # black reports it, on the whole module
    lines = source.splitlines(keepends=True)
    if len(lines) != source.count("\n"):
        return whole  # a line break Python does not count (\f, \x1c…): keep it simple
    starts = _starts(tree.body, lines)
    if len(starts) < 2:
        return whole
    out: Plan = []
    bounds = [*starts, (len(lines), "")]
    for (begin, header), (end, _) in itertools.pairwise(bounds):
        stop = end
        while stop > begin and _blank(lines[stop - 1]):
            stop -= 1
        out += [Piece("".join(lines[begin:stop]), header), "\n" * (end - stop)]
    out[-1] = ""  # black ends a module with one line break
    return [part for part in out if part]


def _starts(body: list[ast.stmt], lines: list[str]) -> list[tuple[int, str]]:
    """Where pieces start (a line, and the stand-in header of the block it is in): the first
    at line 0, the others at cuts between module-level statements and, in a big ``class`` or
    ``if`` block, between its statements (the next module-level statement then starts a
    piece too)."""
    starts = [(0, "")]
    cuts = set(_cuts(body, lines, 0))
    for stmt, after in zip(body, [*body[1:], None], strict=True):
        if _first_line(stmt) in cuts:
            starts.append((_first_line(stmt), ""))
        block = _block(stmt)
        inner = _cuts(block, lines, 1) if block else []
        if not inner:
            continue
        if after is not None and not _joinable(stmt, after, lines, 0):
            continue  # what follows the block cannot start a piece: keep the block whole
        starts += [(line, HEADERS[type(stmt)]) for line in inner]
        if after is not None:
            cuts.add(_first_line(after))
    return starts


def _block(stmt: ast.stmt) -> list[ast.stmt]:
    """The body a piece may be cut from: a ``class``, or an ``if`` without ``else``."""
    if isinstance(stmt, ast.ClassDef) or (isinstance(stmt, ast.If) and not stmt.orelse):
        return stmt.body
    return []


def _first_line(stmt: ast.stmt) -> int:
    decorators: list[ast.expr] = getattr(stmt, "decorator_list", [])
    return min([stmt.lineno, *(d.lineno for d in decorators)]) - 1


def _last_line(stmt: ast.stmt) -> int:
    return (stmt.end_lineno or stmt.lineno) - 1


def _blank(line: str) -> bool:
    return not line.strip()


def _cuts(body: list[ast.stmt], lines: list[str], depth: int) -> list[int]:
    """Lines of a block where a piece starts (after PIECE_MIN characters, at a statement whose
    hash picks it)."""
    cuts: list[int] = []
    size = 0
    for before, stmt in itertools.pairwise(body):
        size += sum(len(lines[i]) for i in range(_first_line(before), _last_line(before) + 1))
        if size < PIECE_MIN:
            continue
        text = "".join(lines[_first_line(stmt) : _last_line(stmt) + 1])
        if zlib.crc32(text.encode()) % CUT_ODDS == 0 and _joinable(before, stmt, lines, depth):
            cuts.append(_first_line(stmt))
            size = 0
    return cuts


def _joinable(before: ast.stmt, stmt: ast.stmt, lines: list[str], depth: int) -> bool:
    """Whether ``stmt`` may start a piece after ``before``, the lines between them kept as they
    are: they are blank (no comment to place), and as many as black leaves there whatever
    precedes and follows them: two around a module-level ``def`` or ``class``, one or two
    between other module-level statements, one in a block; none between imports, as black
    keeps it.  A bare string never starts a piece: alone it would pass for a docstring."""
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
        return False
    if _first_line(stmt) <= _last_line(before):
        return False  # on the line where ``before`` ends (after a semicolon)
    gap = range(_last_line(before) + 1, _first_line(stmt))
    if not all(_blank(lines[i]) for i in gap):
        return False
    imports = (ast.Import, ast.ImportFrom)
    if not gap:
        return isinstance(before, imports) and isinstance(stmt, imports)
    if depth:
        return len(gap) == 1
    if _ends_in_definition(before) or isinstance(stmt, _DEFINITIONS):
        return len(gap) == 2
    return len(gap) <= 2


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _ends_in_definition(stmt: ast.stmt) -> bool:
    """A ``def`` or ``class`` whose block is still open after the statement (black puts two
    blank lines after it): the statement itself, or the last statement of its last block."""
    node: ast.AST = stmt
    while not isinstance(node, _DEFINITIONS):
        blocks = [getattr(node, name, None) for name in ("body", "handlers", "orelse", "finalbody", "cases")]
        last = max(
            (block[-1] for block in blocks if isinstance(block, list) and block),
            key=lambda child: (child.lineno, child.col_offset),
            default=None,
        )
        if last is None:
            return False
        node = last
    return True


def assemble(parts: Plan, formatted: dict[Piece, str]) -> str:
    return "".join(part if isinstance(part, str) else formatted[part] for part in parts)


def strip_header(piece: Piece, output: str) -> str:
    """black's output for ``header + text``, without the header line."""
    if not output.startswith(piece.header):
        raise ValueError(f"black changed the stand-in header {piece.header!r}")
    return output[len(piece.header) :]
