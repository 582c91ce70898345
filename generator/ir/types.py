"""The type tree, and the one function that prints it as a Python annotation.

Types are small frozen nodes; nothing else in the generator builds annotation strings.
``print_type`` takes a ``TypeContext`` that says which direction the type is used in (open
enums and open unions for responses, strict literals for request arguments), which
declarations must be quoted (forward references inside a recursive group), and collects the
imports the printed text needs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Union

from ..literals import py_literal, py_str
from ..naming import Ident

PrimKind = Literal["str", "int", "float", "bool", "any", "none", "datetime", "date", "bytes", "object"]
LiteralValue = Union[str, int, bool, None]


@dataclass(frozen=True, slots=True)
class Prim:
    kind: PrimKind


@dataclass(frozen=True, slots=True)
class Named:
    """A reference to a declaration (model, enum or alias) by its canonical key."""

    key: str


@dataclass(frozen=True, slots=True)
class ListOf:
    item: TypeRef


@dataclass(frozen=True, slots=True)
class TupleOf:
    """A fixed-length array (``prefixItems`` without further items)."""

    items: tuple[TypeRef, ...]


@dataclass(frozen=True, slots=True)
class MapOf:
    value: TypeRef


@dataclass(frozen=True, slots=True)
class UnionOf:
    members: tuple[TypeRef, ...]
    discriminator: str | None = None
    # discriminator value -> index into members, for tagged unions
    mapping: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Nullable:
    inner: TypeRef


@dataclass(frozen=True, slots=True)
class LiteralOf:
    """Fixed values: an enum (``open``: a newer server may send other values) or a const."""

    values: tuple[LiteralValue, ...]
    open: bool = True


@dataclass(frozen=True, slots=True)
class Constrained:
    """A type with JSON Schema value constraints (``minLength``, ``maximum``...): the keyword
    arguments of the runtime's ``Constraints``, printed as ``Annotated[inner, Constraints(...)]``."""

    inner: TypeRef
    checks: tuple[tuple[str, Any], ...]


TypeRef = Union[Prim, Named, ListOf, MapOf, UnionOf, Nullable, LiteralOf, TupleOf, Constrained]

TYPE_NODES = (Prim, Named, ListOf, MapOf, UnionOf, Nullable, LiteralOf, TupleOf, Constrained)
ANY = Prim("any")
NONE = Prim("none")


def nullable(t: TypeRef) -> TypeRef:
    if isinstance(t, Nullable) or t in (NONE, ANY):
        return t
    return Nullable(t)


def strip_nullable(t: TypeRef) -> TypeRef:
    """The type without ``None`` and without its value constraints."""
    t = t.inner if isinstance(t, Nullable) else t
    return unconstrained(t)


def unconstrained(t: TypeRef) -> TypeRef:
    return t.inner if isinstance(t, Constrained) else t


def constrained(t: TypeRef, checks: tuple[tuple[str, Any], ...]) -> TypeRef:
    """``t`` with ``checks`` (inside its ``Nullable``: ``Optional[Annotated[...]]``)."""
    if not checks:
        return t
    if isinstance(t, Nullable):
        return Nullable(constrained(t.inner, checks))
    return Constrained(t, checks)


def has_checks(t: TypeRef) -> bool:
    """Whether a value of ``t`` has constraints anywhere (its items, values, members...)."""
    if isinstance(t, Constrained):
        return True
    if isinstance(t, (ListOf, Nullable)):
        return has_checks(t.item if isinstance(t, ListOf) else t.inner)
    if isinstance(t, MapOf):
        return has_checks(t.value)
    if isinstance(t, (UnionOf, TupleOf)):
        return any(has_checks(m) for m in (t.members if isinstance(t, UnionOf) else t.items))
    return False


def literal_base(values: tuple[LiteralValue, ...]) -> PrimKind:
    kinds = {type(v) for v in values if v is not None}
    if kinds == {bool}:
        return "bool"
    if kinds == {int}:
        return "int"
    if kinds <= {str}:
        return "str"
    return "any"


def references(t: TypeRef) -> set[str]:
    """Keys of every declaration a type mentions."""
    if isinstance(t, Named):
        return {t.key}
    if isinstance(t, (ListOf,)):
        return references(t.item)
    if isinstance(t, MapOf):
        return references(t.value)
    if isinstance(t, (Nullable, Constrained)):
        return references(t.inner)
    if isinstance(t, (UnionOf, TupleOf)):
        out: set[str] = set()
        for m in t.members if isinstance(t, UnionOf) else t.items:
            out |= references(m)
        return out
    return set()


@dataclass(frozen=True, slots=True)
class DeclRef:
    """How a declaration is printed: its class/alias name and the module that defines it."""

    name: Ident
    module: Ident
    kind: Literal["model", "enum", "alias"]
    base: PrimKind = "str"  # for enums: the type of unknown values a newer server may send


@dataclass(slots=True)
class TypeContext:
    """Printing state for one module."""

    decls: dict[str, DeclRef]
    response: bool  # True: tolerant of newer servers (open enums, unknown union variants)
    quote: frozenset[str] = frozenset()  # keys printed as forward references
    local_module: str | None = None  # declarations of this module need no import
    typing_names: set[str] = field(default_factory=set)
    imports: set[tuple[str, str]] = field(default_factory=set)  # (module, name)
    uses_datetime: set[str] = field(default_factory=set)
    prefix: str = "."  # relative path from the printing module to the types package
    runtime: str = ".."  # relative path from the printing module to the package's runtime modules
    checks: bool = True  # False: value constraints are left out (a method's signature)
    # helper names printed under another name in this module (``Tag`` -> ``_Tag``: a
    # declaration of the module is called ``Tag``; see ``naming.MODEL_HELPERS``)
    renames: dict[str, str] = field(default_factory=dict)
    # Set: declarations print as ``alias.Name``, through the types package imported as ``alias``
    # (whose names load on first use), instead of one import per declaration.
    alias: str | None = None

    def typing(self, name: str) -> str:
        self.typing_names.add(name)
        return self.renames.get(name, name)

    def helper(self, module: str, name: str) -> str:
        """Import ``name`` from ``module`` (under its private name, if renamed); its text."""
        alias = self.renames.get(name)
        self.imports.add((module, f"{name} as {alias}" if alias else name))
        return alias or name

    def direction(self, *, response: bool) -> TypeContext:
        """The same module's printing state (shared import sets) in the other direction."""
        return replace(self, response=response)


_PRIM_TEXT = {"str": "str", "int": "int", "float": "float", "bool": "bool", "none": "None", "bytes": "bytes"}


def print_type(t: TypeRef, ctx: TypeContext) -> str:
    if isinstance(t, Prim):
        if t.kind in _PRIM_TEXT:
            return _PRIM_TEXT[t.kind]
        if t.kind == "any":
            return ctx.typing("Any")
        if t.kind == "object":
            return f"{ctx.typing('Dict')}[str, {ctx.typing('Any')}]"
        ctx.uses_datetime.add(t.kind)
        return t.kind
    if isinstance(t, Named):
        return _print_named(t, ctx)
    if isinstance(t, ListOf):
        return f"{ctx.typing('List')}[{print_type(t.item, ctx)}]"
    if isinstance(t, MapOf):
        return f"{ctx.typing('Dict')}[str, {print_type(t.value, ctx)}]"
    if isinstance(t, Nullable):
        return f"{ctx.typing('Optional')}[{print_type(t.inner, ctx)}]"
    if isinstance(t, LiteralOf):
        return _print_literal(t, ctx)
    if isinstance(t, TupleOf):
        return f"{ctx.typing('Tuple')}[{', '.join(print_type(m, ctx) for m in t.items) or '()'}]"
    if isinstance(t, Constrained):
        return _print_constrained(t, ctx)
    return _print_union(t, ctx)


def _print_constrained(t: Constrained, ctx: TypeContext) -> str:
    inner = print_type(t.inner, ctx)
    if not ctx.checks:
        return inner
    return f"{ctx.typing('Annotated')}[{inner}, {print_checks(t.checks, ctx)}]"


def print_checks(checks: tuple[tuple[str, Any], ...], ctx: TypeContext) -> str:
    """``Constraints(min_length=1, pattern="^a")``, imported from the runtime."""
    constraints = ctx.helper(f"{ctx.runtime}_constraints", "Constraints")
    args = ", ".join(f"{k}={_check_value(k, v, ctx)}" for k, v in checks)
    return f"{constraints}({args})"


def _check_value(keyword: str, value: Any, ctx: TypeContext) -> str:
    if keyword == "enum":  # JSON texts (see ``constraints.enum_check``)
        return py_literal([json.loads(v) for v in value])
    if keyword == "prefix_items":  # types
        return "[" + ", ".join(print_type(t, ctx) for t in value) + "]"
    if keyword == "items":
        return print_type(value, ctx)
    return py_literal(value)


def _print_named(t: Named, ctx: TypeContext) -> str:
    ref = ctx.decls[t.key]
    if ctx.alias is not None:
        parent, _, package = ctx.prefix.rstrip(".").rpartition(".")
        ctx.imports.add((parent + ".", f"{package} as {ctx.alias}"))
        text = f"{ctx.alias}.{ref.name}"
    else:
        if ref.module != ctx.local_module:
            ctx.imports.add((f"{ctx.prefix}{ref.module}", ref.name))
        text = ref.name
    if t.key in ctx.quote:
        text = py_str(text)
    if ref.kind == "enum" and ctx.response and ref.base != "any":
        return f"{ctx.typing('Union')}[{text}, {_PRIM_TEXT[ref.base]}]"
    return text


def _print_literal(t: LiteralOf, ctx: TypeContext) -> str:
    values = [v for v in t.values if v is not None]
    if not values:
        return "None"
    base = literal_base(tuple(values))
    if base == "any":
        return ctx.typing("Any")
    text = f"{ctx.typing('Literal')}[{', '.join(py_str(v) if isinstance(v, str) else repr(v) for v in values)}]"
    if t.open and ctx.response:
        text = f"{ctx.typing('Union')}[{text}, {base}]"
    if None in t.values:
        text = f"{ctx.typing('Optional')}[{text}]"
    return text


def _print_union(t: UnionOf, ctx: TypeContext) -> str:
    if ctx.response and t.discriminator is not None and t.mapping and _all_models(t, ctx):
        return _print_tagged(t, t.discriminator, ctx)
    members = [print_type(m, ctx) for m in t.members]
    if ctx.response and any(isinstance(strip_nullable(m), Named) for m in t.members):
        # An unknown variant from a newer server is kept as the raw JSON object.
        members.append(f"{ctx.typing('Dict')}[str, {ctx.typing('Any')}]")
    unique = list(dict.fromkeys(members))
    if len(unique) == 1:
        return unique[0]
    return f"{ctx.typing('Union')}[{', '.join(unique)}]"


def _all_models(t: UnionOf, ctx: TypeContext) -> bool:
    return all(isinstance(m, Named) and ctx.decls[m.key].kind == "model" for m in t.members)


def _print_tagged(t: UnionOf, prop: str, ctx: TypeContext) -> str:
    """A discriminated union: the tag picks the variant (so a known tag with an invalid body
    is an error, not a fallback); an unknown tag keeps the raw JSON object."""
    annotated = ctx.typing("Annotated")
    discriminator, tag_cls = ctx.helper("pydantic", "Discriminator"), ctx.helper("pydantic", "Tag")
    union_tag = ctx.helper(f"{ctx.runtime}_models", "union_tag")
    members = [f"{annotated}[{print_type(m, ctx)}, {tag_cls}({py_str(str(i))})]" for i, m in enumerate(t.members)]
    members.append(f'{annotated}[{ctx.typing("Dict")}[str, {ctx.typing("Any")}], {tag_cls}("")]')
    tags = ", ".join(f"{py_str(tag)}: {py_str(str(i))}" for tag, i in t.mapping)
    union = f"{ctx.typing('Union')}[{', '.join(members)}]"
    return f"{annotated}[{union}, {discriminator}({union_tag}({py_str(prop)}, {{{tags}}}))]"
