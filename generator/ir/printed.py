"""The snake_case names an annotation printed for a type may read (``print_type``): a model
field of one of these names would change what the annotations of its class body mean, so
``field_scope`` keeps them out of that class only (``date`` is a fine field name in a class
without ``date``-typed fields)."""

from __future__ import annotations

from typing import get_args

from .types import (
    Constrained,
    ListOf,
    LiteralOf,
    MapOf,
    Named,
    Nullable,
    Prim,
    PrimKind,
    TupleOf,
    TypeRef,
    literal_base,
)

# Prim kinds printed under another name, or as no name at all.
_PRINTED_AS = {"any": "", "none": "", "object": "str"}  # object: Dict[str, Any]
# What a reference may print around the declaration's name: an open enum in a response is
# ``Union[Enum, <its base>]`` (the base: one of the scalar kinds).
_ENUM_BASES = frozenset({"str", "int", "float", "bool"})


def printed_names(t: TypeRef) -> frozenset[str]:
    """Every snake_case name ``print_type(t, ...)`` may print, in either direction (an
    over-approximation: the declarations a reference names are PascalCase)."""
    if isinstance(t, Prim):
        name = _PRINTED_AS.get(t.kind, t.kind)
        return frozenset({name}) if name else frozenset()
    if isinstance(t, Named):
        return _ENUM_BASES
    if isinstance(t, (ListOf, Nullable)):
        return printed_names(t.item if isinstance(t, ListOf) else t.inner)
    if isinstance(t, Constrained):  # ``Constraints`` (a class name) and its keyword arguments
        return printed_names(t.inner)
    if isinstance(t, MapOf):
        return frozenset({"str"}) | printed_names(t.value)
    if isinstance(t, LiteralOf):
        base = literal_base(tuple(v for v in t.values if v is not None))
        return frozenset({base}) if base != "any" else frozenset()
    if isinstance(t, TupleOf):
        return frozenset().union(*(printed_names(item) for item in t.items))
    out = frozenset({"str"})  # an unknown variant: Dict[str, Any]
    for member in t.members:
        out |= printed_names(member)
    return out | (frozenset({"union_tag"}) if t.discriminator is not None else frozenset())


# Every name any annotation may print (method bodies evaluate the response type).
ALL_PRINTED = frozenset(k for k in get_args(PrimKind) if k not in _PRINTED_AS) | _ENUM_BASES | {"union_tag"}
