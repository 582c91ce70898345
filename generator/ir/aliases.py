"""Aliases pydantic cannot use, fixed once every schema is converted.

* An alias that is nothing but a reference back to itself, directly or through other aliases
  (``A: {allOf: [{$ref: A}]}``; ``A: {oneOf: [{$ref: B}]}, B: {anyOf: [{$ref: A}]}``) has no
  value: pydantic refuses it when the SDK is used.  It becomes ``Any``, with a warning.
* An alias that is a bare reference to another alias inside a recursive group
  (``Forest: {allOf: [{$ref: Trees}]}, Trees: {type: array, items: {$ref: Forest}}``) makes
  pydantic-core crash the interpreter (a stack overflow in C).  It takes the other alias's
  type instead (``Forest = List["Forest"]``): the same values, one hop less.
"""

from __future__ import annotations

from dataclasses import replace

from ..diagnostics import Diagnostics
from ..loader import Location
from .nodes import Alias, Decl, Model
from .types import ANY, Named, TypeRef, references, strip_nullable


def fix_aliases(decls: dict[str, Decl], locations: dict[str, Location], diagnostics: Diagnostics) -> None:
    _break_loops(decls, locations, diagnostics)
    _skip_hops(decls)


def _break_loops(decls: dict[str, Decl], locations: dict[str, Location], diagnostics: Diagnostics) -> None:
    settled: set[str] = set()
    for key in sorted(decls):
        chain: list[str] = []
        current: str | None = key
        while current is not None and current not in chain:
            if current in settled:
                current = None
                break
            decl = decls.get(current)
            target = strip_nullable(decl.target) if isinstance(decl, Alias) else None
            chain.append(current)
            current = target.key if isinstance(target, Named) else None
        settled.update(chain)
        if current is None:
            continue
        for member in chain[chain.index(current) :]:
            alias = decls[member]
            if isinstance(alias, Alias) and alias.target != ANY:
                loc = locations[member]
                diagnostics.warning(
                    "schema is nothing but a reference back to itself (through allOf, oneOf or anyOf); "
                    "typed as any value",
                    loc.file,
                    loc.pointer,
                )
                decls[member] = replace(alias, target=ANY)


def _skip_hops(decls: dict[str, Decl]) -> None:
    for key in sorted(decls):
        alias = decls[key]
        if not (isinstance(alias, Alias) and _alias_hop(decls, alias.target)):
            continue
        if not _reaches(decls, alias.target, key):
            continue
        target: TypeRef = alias.target
        seen: set[str] = set()
        while isinstance(target, Named) and target.key not in seen and _alias_hop(decls, target):
            seen.add(target.key)
            hop = decls[target.key]
            assert isinstance(hop, Alias)
            target = hop.target
        decls[key] = replace(alias, target=target)


def _alias_hop(decls: dict[str, Decl], target: TypeRef) -> bool:
    return isinstance(target, Named) and isinstance(decls.get(target.key), Alias)


def _reaches(decls: dict[str, Decl], start: TypeRef, goal: str) -> bool:
    """Whether the declarations a type mentions lead back to ``goal``."""
    pending = sorted(references(start))
    seen: set[str] = set()
    while pending:
        key = pending.pop()
        if key == goal:
            return True
        if key in seen or key not in decls:
            continue
        seen.add(key)
        decl = decls[key]
        if isinstance(decl, Alias):
            pending.extend(references(decl.target))
        elif isinstance(decl, Model):
            for f in decl.fields:
                pending.extend(references(f.type))
            if decl.extra is not None:
                pending.extend(references(decl.extra))
    return False
