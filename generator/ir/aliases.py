"""Aliases pydantic cannot use, fixed once every schema is converted.

* An alias that is nothing but a reference back to itself, directly or through other aliases
  (``A: {allOf: [{$ref: A}]}``; ``A: {oneOf: [{$ref: B}]}, B: {anyOf: [{$ref: A}]}``) has no
  value: pydantic refuses it when the SDK is used.  It becomes ``Any``, with a warning.
* An alias that is a bare reference to another alias inside a recursive group
  (``Forest: {allOf: [{$ref: Trees}]}, Trees: {type: array, items: {$ref: Forest}}``) makes
  pydantic-core crash the interpreter (a stack overflow in C).  It takes the other alias's
  type instead (``Forest = List["Forest"]``): the same values, one hop less.
* Untagged unions that contain each other (``OneA: {oneOf: [{$ref: OneB}, string]}``,
  ``OneB: {oneOf: [{$ref: OneA}, integer]}``) make pydantic-core crash the interpreter when a
  value is validated (a segmentation fault, seen with pydantic-core 2.50).  A union that
  reaches itself through union members only is flattened: its members are those of every
  union it contains, the way back to itself contributing nothing (``OneA = str | int``).
"""

from __future__ import annotations

from dataclasses import replace

from ..diagnostics import Diagnostics
from ..loader import Location
from .nodes import Alias, Decl, Model
from .types import ANY, MapOf, Named, TypeRef, UnionOf, references, strip_nullable


def fix_aliases(decls: dict[str, Decl], locations: dict[str, Location], diagnostics: Diagnostics) -> None:
    _break_loops(decls, locations, diagnostics)
    _skip_hops(decls)
    _flatten_union_cycles(decls)


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


def _plain_union(decls: dict[str, Decl], key: str) -> UnionOf | None:
    """The target of an alias that is a union (a tagged one too: a union that holds itself
    is never all models, so it is not printed tagged, and flattening drops the tag)."""
    decl = decls.get(key)
    if isinstance(decl, Alias) and isinstance(decl.target, UnionOf):
        return decl.target
    return None


def _flatten_union_cycles(decls: dict[str, Decl]) -> None:
    for key in sorted(decls):
        union = _plain_union(decls, key)
        if union is None or not _union_reaches(decls, union, key, set()):
            continue
        members: list[TypeRef] = []
        _collect(decls, union, [key], members)
        raw = [m for m in members if isinstance(m, MapOf) and m.value == ANY]  # the fallback: last
        flat = tuple(m for m in members if m not in raw) + tuple(raw)
        alias = decls[key]
        assert isinstance(alias, Alias)
        decls[key] = replace(alias, target=UnionOf(flat))


def _union_reaches(decls: dict[str, Decl], union: UnionOf, goal: str, seen: set[str]) -> bool:
    for member in union.members:
        if isinstance(member, Named):
            if member.key == goal:
                return True
            inner = _plain_union(decls, member.key)
            if inner is not None and member.key not in seen:
                seen.add(member.key)
                if _union_reaches(decls, inner, goal, seen):
                    return True
    return False


def _collect(decls: dict[str, Decl], union: UnionOf, stack: list[str], out: list[TypeRef]) -> None:
    for member in union.members:
        inner = _plain_union(decls, member.key) if isinstance(member, Named) else None
        if isinstance(member, Named) and member.key in stack:
            continue  # the way back: no value of its own
        if inner is not None and isinstance(member, Named):
            _collect(decls, inner, [*stack, member.key], out)
        elif member not in out:
            out.append(member)
