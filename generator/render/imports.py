"""Import blocks: collected while code fragments are printed, emitted in the order of ruff's
isort rules (``I``: sections, straight imports before ``from`` imports, members ordered by type),
and pruned of names the finished module never uses (``F401``)."""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field

from ..ir.types import TypeContext
from .layout import import_from

STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}


@dataclass(slots=True)
class Imports:
    typing: set[str] = field(default_factory=set)
    modules: set[str] = field(default_factory=set)  # "import x"
    names: dict[str, set[str]] = field(default_factory=dict)  # module -> names

    def add(self, module: str, *names: str) -> None:
        self.names.setdefault(module, set()).update(names)

    def absorb(self, ctx: TypeContext) -> None:
        self.typing |= ctx.typing_names - ctx.renames.keys()
        for name in ctx.typing_names & ctx.renames.keys():
            self.add("typing", f"{name} as {ctx.renames[name]}")
        for module, name in ctx.imports:
            bare, _, alias = name.partition(" as ")
            self.add(module, bare if alias == bare else name)  # "types as types" is no re-export here
        if ctx.uses_datetime:
            self.add("datetime", *sorted(ctx.uses_datetime))

    def lines(self) -> list[str]:
        """Sections (standard library, third party, relative), blank-line separated; in each,
        ``import x`` first, then ``from`` imports by module; ``a as b`` on its own statement."""
        names = {m: set(n) for m, n in self.names.items() if n}
        if self.typing:
            names.setdefault("typing", set()).update(self.typing)
        blocks: list[list[str]] = []
        for local in (False, True):
            for stdlib in (True, False) if not local else (False,):
                straight = sorted((m for m in self.modules if not local and _is_stdlib(m) == stdlib), key=module_key)
                froms = sorted(
                    (m for m in names if m.startswith(".") == local and (local or _is_stdlib(m) == stdlib)),
                    key=module_key,
                )
                block = [f"import {m}" for m in straight]
                for module in froms:
                    plain = sorted((n for n in names[module] if " as " not in n), key=member_key)
                    aliased = sorted((n for n in names[module] if " as " in n), key=member_key)
                    statements = ([plain] if plain else []) + [[n] for n in aliased]
                    for members in sorted(statements, key=lambda ms: member_key(ms[0])):
                        block.append(import_from(module, members))
                if block:
                    blocks.append(block)
        out: list[str] = []
        for block in blocks:
            out += ([""] if out else []) + block
        return out


def _is_stdlib(module: str) -> bool:
    return module.split(".")[0] in STDLIB


def module_key(module: str) -> tuple[int, str, str]:
    """Relative modules furthest first (``..x`` before ``.y``), then by name, case-insensitively."""
    depth = len(module) - len(module.lstrip("."))
    return (-depth, module.lstrip(".").lower(), module)


def member_key(name: str) -> tuple[int, str, str]:
    """isort's ``order-by-type``: CONSTANTS, then Classes, then everything else."""
    bare = name.split(" as ")[0]
    kind = 0 if bare.isupper() and len(bare) > 1 else 1 if bare[:1].isupper() else 2
    return (kind, bare.lower(), name)


# -- pruning ------------------------------------------------------------------------------------


def prune_unused(source: str) -> str:
    """Drop the imported names a module never uses (code, string annotations, ``__all__``).
    ``import a as a`` / ``from m import a as a`` are explicit re-exports and always kept; a
    module that does not parse is returned unchanged (compiling reports it)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    used = _used_names(tree)
    lines = source.splitlines(keepends=True)
    edits: list[tuple[int, int, str]] = []
    for node in _module_level_imports(tree):
        if isinstance(node, ast.Import):
            if all(a.asname != a.name and (a.asname or a.name.split(".")[0]) not in used for a in node.names):
                edits.append((node.lineno - 1, node.end_lineno or node.lineno, ""))
            continue
        if node.module == "__future__":
            continue
        keep = [a for a in node.names if a.asname == a.name or (a.asname or a.name) in used or a.name == "*"]
        if len(keep) == len(node.names):
            continue
        indent = lines[node.lineno - 1][: node.col_offset]
        module = "." * node.level + (node.module or "")
        members = [a.name if a.asname is None else f"{a.name} as {a.asname}" for a in keep]
        text = import_from(module, members, indent) + "\n" if keep else ""
        edits.append((node.lineno - 1, node.end_lineno or node.lineno, text))
    for start, end, text in reversed(edits):
        lines[start:end] = [text] if text else []
        if not text and 0 < start < len(lines) and not lines[start - 1].strip() and not lines[start].strip():
            del lines[start]  # a section emptied: one blank line between its neighbours, not two
    return "".join(lines)


def _module_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports at the top level and inside top-level ``if`` blocks (``if TYPE_CHECKING:``)."""
    out: list[ast.Import | ast.ImportFrom] = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            out.append(node)
        elif isinstance(node, ast.If):
            out += [n for n in node.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    return out


def _used_names(tree: ast.Module) -> set[str]:
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            used.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 2000:
            used |= _names_in_string(node.value)
    return used


def _names_in_string(text: str) -> set[str]:
    """Names in a string that is an expression (a quoted annotation, ``cast("T", x)``, an
    ``__all__`` entry); other text yields nothing."""
    try:
        expr = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError):
        return set()
    return {n.id for n in ast.walk(expr) if isinstance(n, ast.Name)}
