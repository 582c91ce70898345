"""Compare two uses of a type (old IR vs new IR), direction-aware, with cycle protection.

A *site* says where a type is used (a parameter, a request body, a response body, a property)
and in which direction data flows.  The same change has opposite meanings in the two
directions: a new enum value is harmless in what the client sends and possibly breaking in
what it receives; a property becoming optional breaks readers, not writers.

Named declarations present on both sides under the same key (or a detected rename) are
compared once, at their own location, by ``spec_diff``; a use site only notices that it now
refers to a *different* declaration.  When an old-only declaration is replaced by a new-only
one (an inline schema that moved, a renamed schema whose shape also changed), the two are
walked structurally, property by property; ``seen`` pairs stop the walk on recursive types.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal, Sequence

from ..ir.nodes import Alias, Decl, Enum, Field, Model
from ..ir.types import (
    ANY,
    Constrained,
    ListOf,
    LiteralOf,
    LiteralValue,
    MapOf,
    Named,
    Nullable,
    Prim,
    TupleOf,
    TypeRef,
    UnionOf,
    literal_base,
    strip_nullable,
)
from . import constraints
from .changes import BREAKING, POSSIBLY, SAFE, Change, Severity, Where
from .sides import SideModel

Flow = Literal["request", "response"]
Seen = frozenset[tuple[str, str]]
MAX_DEPTH = 32


@dataclass(frozen=True, slots=True)
class Site:
    """Where a type is used: decides rule names, severities, locations and symbols."""

    prefix: str  # "param", "request-body", "response-body", "request-property", ...
    flow: Flow
    label: str  # "query parameter 'limit' of GET /x", "property SyncResponse.name"
    where: Where
    symbols: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Owner:
    """The object whose properties are compared: a model, or a flattened request body."""

    label: str
    flow: Flow
    old_schema: str  # location of the object schema in each document
    new_schema: str
    method: str = ""
    path: str = ""
    attrs: tuple[str, str] = ("", "")  # ("pkg.types.Old", "pkg.types.New"): properties are attributes
    args: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # (method symbol, (wire, kwarg)...)
    context: tuple[str, ...] = ()  # symbols of the use site that led here (a replaced type)

    def symbols(self, f: Field, side: str = "new") -> tuple[str, ...]:
        base = self.attrs[1] if side == "new" else self.attrs[0]
        out = [f"{base}.{f.name}"] if base else []
        for method, names in self.args:
            kwarg = dict(names).get(f.wire, f.name)
            out.append(f"{method}({kwarg}=...)")
        return tuple(dict.fromkeys([*out, *self.context]))


def by_flow(flow: Flow, request: Severity, response: Severity) -> Severity:
    return request if flow == "request" else response


class Comparer:
    def __init__(self, old: SideModel, new: SideModel, renames: dict[str, str]) -> None:
        self.old = old
        self.new = new
        self.renames = renames

    # -- entry points --------------------------------------------------------------------

    def types(self, old: TypeRef, new: TypeRef, site: Site, seen: Seen = frozenset()) -> list[Change]:
        out: list[Change] = []
        was, now = isinstance(old, Nullable), isinstance(new, Nullable)
        if was != now:
            rule = f"{site.prefix}-became-{'nullable' if now else 'non-nullable'}"
            sev = by_flow(site.flow, SAFE, BREAKING) if now else by_flow(site.flow, BREAKING, SAFE)
            what = "may now be null" if now else "can no longer be null"
            out.append(self._change(rule, sev, f"{site.label} {what}", site))
        out.extend(self._core(strip_nullable(old), strip_nullable(new), site, seen))
        return out

    def fields(
        self, old: Sequence[Field], new: Sequence[Field], owner: Owner, seen: Seen = frozenset()
    ) -> list[Change]:
        olds = {f.wire: f for f in old}
        news = {f.wire: f for f in new}
        out: list[Change] = []
        for wire in [*news, *(w for w in olds if w not in news)]:
            out.extend(self._field(olds.get(wire), news.get(wire), owner, seen))
        return out

    def decl(self, od: Decl, nd: Decl, flow: Flow, seen: Seen = frozenset(), via: Site | None = None) -> list[Change]:
        """Two declarations of the same kind, compared member by member (``via``: the use site
        where an old-only declaration was replaced by a new-only one)."""
        if isinstance(od, Model) and isinstance(nd, Model):
            return self.fields(od.fields, nd.fields, self.model_owner(od, nd, flow, via), seen)
        site = Site(
            f"{flow}-schema",
            flow,
            f"schema {nd.name}",
            self.new.where(nd.location),
            (self.new.symbols.types.get(self.new.norm(nd.key), ""),),
        )
        if isinstance(od, Enum) and isinstance(nd, Enum):
            return self._enum(od.values, nd.values, site)
        if isinstance(od, Alias) and isinstance(nd, Alias):
            bounds = constraints.changes(
                self.old.node(od.location),
                self.new.node(nd.location),
                prefix=site.prefix,
                flow=flow,
                label=site.label,
                where=site.where,
                symbols=site.symbols,
            )
            return self.types(od.target, nd.target, site, seen) + bounds
        return []

    def model_owner(self, od: Model, nd: Model, flow: Flow, via: Site | None = None) -> Owner:
        attrs = (
            self.old.symbols.types.get(self.old.norm(od.key), ""),
            self.new.symbols.types.get(self.new.norm(nd.key), ""),
        )
        label = str(nd.name) if od.name == nd.name else f"{nd.name} (was {od.name})"
        if via is None:
            return Owner(label, flow, od.location, nd.location, attrs=attrs)
        # A use site now refers to another type.  If the old type lives on (kept or renamed),
        # its attributes did not change: the change is at the use site, named by its symbols.
        key = self.old.norm(od.key)
        if key in self.new.decls or key in self.renames:
            attrs = ("", attrs[1])
        if od.name != nd.name:
            label = f"{nd.name} (replaces {od.name})"
        context = tuple(s for s in via.symbols if "." in s and "(" not in s)
        return Owner(label, flow, od.location, nd.location, via.where.method, via.where.path, attrs, context=context)

    # -- properties ----------------------------------------------------------------------

    def _field(self, old: Field | None, new: Field | None, owner: Owner, seen: Seen) -> list[Change]:
        flow = owner.flow
        if new is None and old is not None:
            raw_new = self._raw_property(self.new, owner.new_schema, old.wire)
            if flow == "request" and _flag(raw_new, "readOnly"):  # left out of what the SDK sends
                raw_old = self._raw_property(self.old, owner.old_schema, old.wire)
                where = self._property_where(owner, old.wire, "new")
                label = f"property {owner.label}.{old.wire}"
                return access_changes(raw_old, raw_new, flow, label, where, owner.symbols(old, "old"))
            where = self._property_where(owner, old.wire, "old")
            return [
                Change(
                    f"{flow}-property-removed",
                    BREAKING,
                    f"property {owner.label}.{old.wire} removed",
                    where,
                    owner.symbols(old, "old"),
                    direction=flow,
                )
            ]
        assert new is not None
        where = self._property_where(owner, new.wire, "new")
        label = f"property {owner.label}.{new.wire}"
        if old is None:
            return [self._added(new, owner, label, where)]
        out: list[Change] = []
        symbols = owner.symbols(new)
        if old.required != new.required:
            now = "required" if new.required else "optional"
            sev = by_flow(flow, BREAKING, SAFE) if new.required else by_flow(flow, SAFE, BREAKING)
            out.append(
                Change(f"{flow}-property-became-{now}", sev, f"{label} became {now}", where, symbols, direction=flow)
            )
        site = Site(f"{flow}-property", flow, label, where, symbols)
        out.extend(self.types(old.type, new.type, site, seen))
        raw_old = self._raw_property(self.old, owner.old_schema, old.wire)
        raw_new = self._raw_property(self.new, owner.new_schema, new.wire)
        out += constraints.changes(
            raw_old, raw_new, prefix=f"{flow}-property", flow=flow, label=label, where=where, symbols=symbols
        )
        out += access_changes(raw_old, raw_new, flow, label, where, symbols)
        if new.deprecated and not old.deprecated:
            msg = f"{label} is deprecated (it still works; a later version may remove it)"
            out.append(Change(f"{flow}-property-deprecated", SAFE, msg, where, symbols, direction=flow))
        if (old.has_default, old.default) != (new.has_default, new.default):
            sev = by_flow(flow, POSSIBLY, SAFE)
            msg = f"{label}: default changed from {_value(old)} to {_value(new)}"
            out.append(Change(f"{flow}-property-default-changed", sev, msg, where, symbols, direction=flow))
        return out

    def _added(self, new: Field, owner: Owner, label: str, where: Where) -> Change:
        symbols = owner.symbols(new)
        if owner.flow == "request" and new.required:
            return Change(
                "request-property-added-required",
                BREAKING,
                f"required {label} added",
                where,
                symbols,
                direction="request",
            )
        kind = "optional " if not new.required else ""
        return Change(f"{owner.flow}-property-added", SAFE, f"{kind}{label} added", where, symbols, True, owner.flow)

    @staticmethod
    def _raw_property(side: SideModel, schema: str, wire: str) -> Any:
        location = side.property_location(schema, wire) if schema else None
        return side.node(location) if location else None

    def _property_where(self, owner: Owner, wire: str, side: str) -> Where:
        model = self.new if side == "new" else self.old
        schema = owner.new_schema if side == "new" else owner.old_schema
        location = (model.property_location(schema, wire) if schema else None) or schema
        return (
            model.where(location, owner.method, owner.path) if location else Where(owner.method, owner.path, side="new")
        )

    # -- types ---------------------------------------------------------------------------

    def _core(self, old: TypeRef, new: TypeRef, site: Site, seen: Seen) -> list[Change]:
        if isinstance(old, Named) and isinstance(new, Named):
            return self._named(old, new, site, seen)
        o, n = self._expand(old, self.old), self._expand(new, self.new)
        if o is not old or n is not new:  # an enum or alias on either side: compare what it stands for
            step = (repr(old), repr(new))
            return [] if step in seen or len(seen) > MAX_DEPTH else self._core(o, n, site, seen | {step})
        if isinstance(o, LiteralOf) and isinstance(n, LiteralOf):
            return self._enum(o.values, n.values, site)
        if isinstance(o, ListOf) and isinstance(n, ListOf):
            return self.types(o.item, n.item, replace(site, label=f"items of {site.label}"), seen)
        if isinstance(o, MapOf) and isinstance(n, MapOf):
            return self.types(o.value, n.value, replace(site, label=f"values of {site.label}"), seen)
        if isinstance(o, UnionOf) and isinstance(n, UnionOf):
            return self._union(o, n, site)
        if o == n:
            return []
        return [self._type_changed(old, new, site)]

    def _named(self, old: Named, new: Named, site: Site, seen: Seen) -> list[Change]:
        ko, kn = self.old.norm(old.key), self.new.norm(new.key)
        if self.renames.get(ko, ko) == kn or (ko, kn) in seen:
            return []
        od, nd = self.old.decls.get(ko), self.new.decls.get(kn)
        if od is None or nd is None:
            return []
        seen = seen | {(ko, kn)}
        if isinstance(od, Model) and isinstance(nd, Model):
            if ko in self.new.decls or kn in self.old.decls:  # now refers to another, existing type
                return [self._type_changed(old, new, site)]
            return self.decl(od, nd, site.flow, seen, site)  # a replacement: compare its shape
        return self._core(self._expand(old, self.old), self._expand(new, self.new), site, seen)

    def _expand(self, t: TypeRef, side: SideModel) -> TypeRef:
        """Enums as their literals and aliases as their targets; models stay named."""
        if isinstance(t, Named):
            decl = side.decls.get(side.norm(t.key))
            if isinstance(decl, Enum):
                return LiteralOf(decl.values)
            if isinstance(decl, Alias):
                return decl.target
        return t

    def _enum(self, old: tuple[LiteralValue, ...], new: tuple[LiteralValue, ...], site: Site) -> list[Change]:
        olds, news = {(type(v), v) for v in old}, {(type(v), v) for v in new}
        added = [v for v in new if (type(v), v) not in olds]
        removed = [v for v in old if (type(v), v) not in news]
        out = []
        flow = site.flow
        if removed:
            sev = by_flow(flow, BREAKING, SAFE)
            msg = f"{site.label}: enum value{_s(removed)} {_values(removed)} removed"
            out.append(self._change(f"{flow}-enum-value-removed", sev, msg, site))
        if added:
            sev = by_flow(flow, SAFE, POSSIBLY)
            msg = f"{site.label}: enum value{_s(added)} {_values(added)} added"
            if flow == "response":
                msg += " (the SDK keeps unknown values, but code that matches every known value misses it)"
            out.append(self._change(f"{flow}-enum-value-added", sev, msg, site, addition=flow == "request"))
        return out

    def _union(self, old: UnionOf, new: UnionOf, site: Site) -> list[Change]:
        olds = {self._identity(m, self.old): m for m in old.members}
        news = {self._identity(m, self.new): m for m in new.members}
        out = []
        flow = site.flow
        removed = [m for k, m in olds.items() if k not in news]
        added = [m for k, m in news.items() if k not in olds]
        if removed:
            names = ", ".join(self.describe(m, self.old) for m in removed)
            sev = by_flow(flow, BREAKING, SAFE)
            out.append(
                self._change(f"{flow}-union-variant-removed", sev, f"{site.label}: variant {names} removed", site)
            )
        if added:
            names = ", ".join(self.describe(m, self.new) for m in added)
            sev = by_flow(flow, SAFE, POSSIBLY)
            msg = f"{site.label}: variant {names} added"
            out.append(self._change(f"{flow}-union-variant-added", sev, msg, site, addition=flow == "request"))
        return out

    def _identity(self, t: TypeRef, side: SideModel) -> str:
        if isinstance(t, Named):
            key = side.norm(t.key)
            return self.renames.get(key, key) if side is self.old else key
        return repr(t)

    def _type_changed(self, old: TypeRef, new: TypeRef, site: Site) -> Change:
        if site.flow == "request":
            compatible = self.accepts(new, self.new, old, self.old, response=False)
        else:
            compatible = self.accepts(old, self.old, new, self.new, response=True)
        msg = f"{site.label} type changed: {self.describe(old, self.old)} -> {self.describe(new, self.new)}"
        if compatible:
            msg += (
                " (compatible: "
                + ("accepts every value it did" if site.flow == "request" else "every value fits the old type")
                + ")"
            )
        return self._change(f"{site.prefix}-type-changed", SAFE if compatible else BREAKING, msg, site)

    def _change(self, rule: str, sev: Severity, msg: str, site: Site, addition: bool = False) -> Change:
        symbols = tuple(s for s in site.symbols if s)
        return Change(rule, sev, msg, site.where, symbols, addition, site.flow)

    # -- compatibility -------------------------------------------------------------------

    def accepts(self, a: TypeRef, sa: SideModel, b: TypeRef, sb: SideModel, *, response: bool, depth: int = 0) -> bool:
        """Whether every value of ``b`` is a value of ``a``.  In responses an open enum is its
        base type: the SDK already keeps values it does not know."""
        if depth > MAX_DEPTH:
            return True
        a, b = self._expand(a, sa), self._expand(b, sb)
        if response:
            a, b = _opened(a), _opened(b)

        def acc(x: TypeRef, y: TypeRef) -> bool:
            return self.accepts(x, sa, y, sb, response=response, depth=depth + 1)

        if isinstance(b, Nullable):
            return (isinstance(a, Nullable) and acc(a.inner, b.inner)) or a == ANY
        if isinstance(a, Nullable):
            return acc(a.inner, b)
        if a == ANY:
            return True
        if isinstance(b, UnionOf):
            return all(acc(a, m) for m in b.members)
        if isinstance(a, UnionOf):
            return any(acc(m, b) for m in a.members)
        if isinstance(a, Named) and isinstance(b, Named):
            return self._identity(a, sa) == self._identity(b, sb)
        if isinstance(a, ListOf) and isinstance(b, ListOf):
            return acc(a.item, b.item)
        if isinstance(a, MapOf) and isinstance(b, MapOf):
            return acc(a.value, b.value)
        if isinstance(a, LiteralOf) and isinstance(b, LiteralOf):
            return {(type(v), v) for v in b.values} <= {(type(v), v) for v in a.values}
        if isinstance(a, Prim):
            return _prim_accepts(a, b)
        return a == b

    # -- text ----------------------------------------------------------------------------

    def describe(self, t: TypeRef, side: SideModel) -> str:
        if isinstance(t, Nullable):
            return f"{self.describe(t.inner, side)} | null"
        if isinstance(t, Named):
            decl = side.decls.get(side.norm(t.key))
            return str(decl.name) if decl else t.key
        if isinstance(t, ListOf):
            return f"list[{self.describe(t.item, side)}]"
        if isinstance(t, MapOf):
            return f"dict[str, {self.describe(t.value, side)}]"
        if isinstance(t, UnionOf):
            return " | ".join(self.describe(m, side) for m in t.members)
        if isinstance(t, LiteralOf):
            return f"enum({_values(list(t.values), 4)})"
        if isinstance(t, TupleOf):
            return f"tuple[{', '.join(self.describe(m, side) for m in t.items)}]"
        if isinstance(t, Constrained):  # (the drift side is built without them: see _side)
            return self.describe(t.inner, side)
        return t.kind


def _flag(node: Any, key: str) -> bool:
    return isinstance(node, dict) and node.get(key) is True


def access_changes(
    raw_old: Any, raw_new: Any, flow: Flow, label: str, where: Where, symbols: tuple[str, ...]
) -> list[Change]:
    """``readOnly`` and ``writeOnly`` of a property, both ways.  A read-only property is left
    out of what the SDK sends (the keyword argument of a flattened body is gone; the server
    ignores it anyway); a write-only one is never returned (the attribute stays unset)."""
    out: list[Change] = []
    rule = f"{flow}-property-became-read-only"
    if _flag(raw_new, "readOnly") and not _flag(raw_old, "readOnly"):
        if flow == "request":
            msg = (
                f"{label} became readOnly: the SDK no longer sends it (its keyword argument is gone) "
                "and the server ignores it"
            )
            out.append(Change(rule, BREAKING, msg, where, symbols, direction=flow))
        else:
            msg = f"{label} became readOnly (responses still carry it)"
            out.append(Change(rule, SAFE, msg, where, symbols, direction=flow))
    elif _flag(raw_old, "readOnly") and not _flag(raw_new, "readOnly"):
        rule = f"{flow}-property-no-longer-read-only"
        if flow == "request":
            msg = f"{label} is no longer readOnly: the SDK can send it (a new keyword argument)"
            out.append(Change(rule, SAFE, msg, where, symbols, addition=True, direction=flow))
        else:
            out.append(Change(rule, SAFE, f"{label} is no longer readOnly", where, symbols, direction=flow))
    if _flag(raw_new, "writeOnly") and not _flag(raw_old, "writeOnly"):
        rule = f"{flow}-property-became-write-only"
        if flow == "response":
            msg = f"{label} became writeOnly: responses no longer carry it (the SDK attribute stays unset)"
            out.append(Change(rule, BREAKING, msg, where, symbols, direction=flow))
        else:
            out.append(
                Change(rule, SAFE, f"{label} became writeOnly (requests still send it)", where, symbols, direction=flow)
            )
    elif _flag(raw_old, "writeOnly") and not _flag(raw_new, "writeOnly"):
        rule = f"{flow}-property-no-longer-write-only"
        if flow == "response":
            msg = f"{label} is no longer writeOnly: responses now carry it"
            out.append(Change(rule, SAFE, msg, where, symbols, addition=True, direction=flow))
        else:
            out.append(Change(rule, SAFE, f"{label} is no longer writeOnly", where, symbols, direction=flow))
    return out


def _opened(t: TypeRef) -> TypeRef:
    if isinstance(t, LiteralOf) and t.open:
        base = literal_base(t.values)
        if base != "any":
            return Prim(base) if None not in t.values else Nullable(Prim(base))
    return t


def _prim_accepts(a: Prim, b: TypeRef) -> bool:
    if isinstance(b, Prim):
        return a.kind == b.kind or (a.kind == "float" and b.kind == "int")
    if isinstance(b, LiteralOf):
        base = literal_base(b.values)
        return base == a.kind or (a.kind == "float" and base == "int")
    return a.kind == "object" and isinstance(b, (MapOf, Named))


def _s(items: Sequence[object]) -> str:
    return "s" if len(items) > 1 else ""


def _values(values: Sequence[LiteralValue], limit: int = 12) -> str:
    shown = ", ".join(repr(v) for v in values[:limit])
    return shown + (f", ... ({len(values) - limit} more)" if len(values) > limit else "")


def _value(f: Field) -> str:
    return repr(f.default) if f.has_default else "none"
