"""Declarations across two versions: added, removed, renamed (same structure, new name: an SDK
type rename) and changed (compared once, in every direction the declaration travels)."""

from __future__ import annotations

from collections import Counter
from typing import Hashable

from ..ir.nodes import Alias, Decl, Enum, Model, Operation
from ..ir.types import Constrained, ListOf, LiteralOf, MapOf, Named, Nullable, TupleOf, TypeRef, UnionOf, references
from .changes import BREAKING, SAFE, Change
from .sides import COMPONENT_PREFIX, SideModel
from .types_diff import Comparer, Flow


class SchemaIndex:
    def __init__(self, old: SideModel, new: SideModel) -> None:
        self.old, self.new = old, new
        self.renames = _renames(old, new)
        flows = usage(old)
        for key, seen in usage(new).items():
            flows.setdefault(key, set()).update(seen)
        self.flows = flows
        self.body_users = _body_users(old, new)

    def same_declaration(self, old_location: str, new_location: str) -> bool:
        """Whether two schema locations are one declaration compared at its own place."""
        if not old_location or not new_location:
            return False
        ko, kn = self.old.norm(old_location), self.new.norm(new_location)
        return self.renames.get(ko, ko) == kn and ko in self.old.decls and kn in self.new.decls

    def changes(self, comparer: Comparer) -> list[Change]:
        out: list[Change] = []
        for key in sorted(self.old.decls.keys() & self.new.decls.keys()):
            out += self.compare(comparer, self.old.decls[key], self.new.decls[key])
        for old_key, new_key in sorted(self.renames.items()):
            out.append(self.renamed(self.old.decls[old_key], self.new.decls[new_key]))
        renamed_new = set(self.renames.values())
        for key in sorted(self.old.decls.keys() - self.new.decls.keys() - self.renames.keys()):
            if key.startswith(COMPONENT_PREFIX):
                out.append(self.removed(self.old.decls[key]))
        for key in sorted(self.new.decls.keys() - self.old.decls.keys() - renamed_new):
            if key.startswith(COMPONENT_PREFIX):
                out.append(self.added(self.new.decls[key]))
        return out

    def compare(self, comparer: Comparer, od: Decl, nd: Decl) -> list[Change]:
        key = self.new.norm(nd.key)
        if type(od) is not type(nd):
            msg = f"schema {nd.name} changed kind: {_kind(od)} -> {_kind(nd)}"
            where = self.new.where(nd.location)
            return [Change("schema-kind-changed", BREAKING, msg, where, (self.new.symbols.types.get(key, ""),))]
        flows: list[Flow] = sorted(self.flows.get(key) or {"request", "response"})  # unused: as both
        per_flow = [self._with_users(comparer.decl(od, nd, flow), key, od, nd) for flow in flows]
        out = merge_flows(per_flow)
        if _deprecated(self.new.node(nd.location)) and not _deprecated(self.old.node(od.location)):
            symbol = self.new.symbols.types.get(key, "")
            msg = f"schema {_wire(self.new, nd)} is deprecated (SDK type {nd.name} still works; a later version may remove it)"
            out.append(Change("schema-deprecated", SAFE, msg, self.new.where(nd.location), (symbol,)))
        return out

    def _with_users(self, changes: list[Change], key: str, od: Decl, nd: Decl) -> list[Change]:
        """Add the SDK methods that take this schema as keyword arguments to property changes."""
        users = self.body_users.get(key)
        if not users or not isinstance(nd, Model) or not isinstance(od, Model):
            return changes
        prefix = self.new.symbols.types.get(key, "") + "."
        out = []
        for c in changes:
            attrs = [s for s in c.symbols if s.startswith(prefix)]
            extra = tuple(f"{method}({s[len(prefix) :].split('.')[0]}=...)" for s in attrs for method in users)
            out.append(_with_symbols(c, c.symbols + extra))
        return out

    def renamed(self, od: Decl, nd: Decl) -> Change:
        before = self.old.symbols.types.get(self.old.norm(od.key), str(od.name))
        after = self.new.symbols.types.get(self.new.norm(nd.key), str(nd.name))
        msg = f"schema {_wire(self.old, od)} renamed to {_wire(self.new, nd)} with the same structure: SDK type {od.name} is now {nd.name}"
        if od.name == nd.name:
            msg = (
                f"schema {_wire(self.old, od)} renamed to {_wire(self.new, nd)} (the SDK type keeps its name {nd.name})"
            )
        return Change(
            "schema-renamed",
            BREAKING if od.name != nd.name else SAFE,
            msg,
            self.new.where(nd.location),
            (before, after),
        )

    def removed(self, od: Decl) -> Change:
        symbol = self.old.symbols.types.get(self.old.norm(od.key), "")
        msg = f"schema {_wire(self.old, od)} removed (SDK type {od.name} is gone)"
        return Change("schema-removed", BREAKING, msg, self.old.where(od.location), (symbol,))

    def added(self, nd: Decl) -> Change:
        symbol = self.new.symbols.types.get(self.new.norm(nd.key), "")
        msg = f"schema {_wire(self.new, nd)} added (SDK type {nd.name})"
        return Change("schema-added", SAFE, msg, self.new.where(nd.location), (symbol,), addition=True)


def merge_flows(per_flow: list[list[Change]]) -> list[Change]:
    """One change per finding: when a declaration travels both ways, the more severe reading."""
    if len(per_flow) == 1:
        return per_flow[0]
    best: dict[tuple[str, str, tuple[str, ...]], Change] = {}
    count: Counter[tuple[str, str, tuple[str, ...]]] = Counter()
    for changes in per_flow:
        for c in changes:
            key = (_base_rule(c.rule), c.where.pointer, c.symbols)
            count[key] += 1
            if key not in best or c.severity.rank > best[key].severity.rank:
                best[key] = c
    out = []
    for key, c in best.items():
        both = count[key] > 1
        out.append(_with_direction(c, "both") if both else c)
    return out


def _base_rule(rule: str) -> str:
    for prefix in ("request-", "response-"):
        if rule.startswith(prefix):
            return rule[len(prefix) :]
    return rule


def _with_symbols(c: Change, symbols: tuple[str, ...]) -> Change:
    return Change(
        c.rule, c.severity, c.message, c.where, tuple(dict.fromkeys(symbols)), c.addition, c.direction, c.sdk_only
    )


def _with_direction(c: Change, direction: str) -> Change:
    return Change(c.rule, c.severity, c.message, c.where, c.symbols, c.addition, "both", c.sdk_only)


def _deprecated(node: object) -> bool:
    return isinstance(node, dict) and node.get("deprecated") is True


def _kind(decl: Decl) -> str:
    return "object" if isinstance(decl, Model) else "enum" if isinstance(decl, Enum) else "alias"


def _wire(side: SideModel, decl: Decl) -> str:
    key = side.norm(decl.key)
    return (
        key[len(COMPONENT_PREFIX) :].replace("~1", "/").replace("~0", "~")
        if key.startswith(COMPONENT_PREFIX)
        else decl.name
    )


def _renames(old: SideModel, new: SideModel) -> dict[str, str]:
    """Removed and added component schemas with one and the same structure, matched 1:1.
    Repeated until nothing new matches: a schema whose properties refer to renamed schemas is
    itself a rename once those are known."""
    renames: dict[str, str] = {}
    for _ in range(16):
        gone = [k for k in old.decls.keys() - new.decls.keys() - renames.keys() if k.startswith(COMPONENT_PREFIX)]
        taken = set(renames.values())
        came = [k for k in new.decls.keys() - old.decls.keys() - taken if k.startswith(COMPONENT_PREFIX)]
        old_shapes = Counter(structure(old, old.decls[k], renames) for k in gone)
        new_shapes: dict[Hashable, list[str]] = {}
        for k in came:
            new_shapes.setdefault(structure(new, new.decls[k]), []).append(k)
        found = {}
        for k in sorted(gone):
            shape = structure(old, old.decls[k], renames)
            if old_shapes[shape] == 1 and len(new_shapes.get(shape, [])) == 1 and _substantial(old.decls[k]):
                found[k] = new_shapes[shape][0]
        if not found:
            break
        renames.update(found)
    return renames


def _substantial(decl: Decl) -> bool:
    """A rename is only claimed for objects with properties and enums, never bare aliases."""
    return (isinstance(decl, Model) and bool(decl.fields)) or isinstance(decl, Enum)


def structure(side: SideModel, decl: Decl, renames: dict[str, str] | None = None) -> Hashable:
    """What a declaration looks like without its name; ``renames`` maps the old side's keys."""
    keys = renames or {}
    if isinstance(decl, Model):
        fields = tuple(sorted((f.wire, _shape(side, f.type, keys), f.required) for f in decl.fields))
        return ("object", fields, _shape(side, decl.extra, keys) if decl.extra else None)
    if isinstance(decl, Enum):
        return ("enum", tuple(sorted(repr(v) for v in decl.values)))
    assert isinstance(decl, Alias)
    return ("alias", _shape(side, decl.target, keys))


def _shape(side: SideModel, t: TypeRef, keys: dict[str, str]) -> Hashable:
    if isinstance(t, Named):
        key = side.norm(t.key)
        return ("named", keys.get(key, key))
    if isinstance(t, Nullable):
        return ("null", _shape(side, t.inner, keys))
    if isinstance(t, ListOf):
        return ("list", _shape(side, t.item, keys))
    if isinstance(t, MapOf):
        return ("map", _shape(side, t.value, keys))
    if isinstance(t, UnionOf):
        return ("union", tuple(_shape(side, m, keys) for m in t.members))
    if isinstance(t, LiteralOf):
        return ("literal", tuple(repr(v) for v in t.values))
    if isinstance(t, TupleOf):
        return ("tuple", tuple(_shape(side, m, keys) for m in t.items))
    if isinstance(t, Constrained):
        return _shape(side, t.inner, keys)
    return ("prim", t.kind)


def _body_users(old: SideModel, new: SideModel) -> dict[str, tuple[str, ...]]:
    """Declarations used as flattened request bodies → the SDK methods that take them."""
    out: dict[str, list[str]] = {}
    for side in (new, old):
        for op in side.operations.values():
            location = side.body_schema(op)
            if op.body is None or not op.body.fields or not location:
                continue
            key = side.norm(location)
            if key in side.decls:
                symbol = new.symbols.operation(op.key) or old.symbols.operation(op.key)
                out.setdefault(key, [])
                if symbol and symbol not in out[key]:
                    out[key].append(symbol)
    return {k: tuple(v) for k, v in out.items()}


# -- directions --------------------------------------------------------------------------


def operation_types(op: Operation) -> dict[Flow, list[TypeRef]]:
    """The types an operation sends and receives."""
    request: list[TypeRef] = [p.type for p in (*op.path_params, *op.params)]
    if op.body is not None:
        request += [f.type for f in op.body.fields] + ([op.body.type] if op.body.type else [])
    response = [r.type for r in (op.response, *op.errors) if r.type is not None]
    return {"request": request, "response": response}


def usage(side: SideModel) -> dict[str, set[Flow]]:
    """In which directions each declaration (normalized key) travels."""
    out: dict[str, set[Flow]] = {}
    for op in side.operations.values():
        for flow, types in operation_types(op).items():
            body = side.body_schema(op) if flow == "request" else None
            start = {side.norm(k) for t in types for k in references(t)} | ({side.norm(body)} if body else set())
            _reach(side, start, flow, out)
    return out


def _reach(side: SideModel, start: set[str], flow: Flow, out: dict[str, set[Flow]]) -> None:
    stack = list(start)
    while stack:
        key = stack.pop()
        if flow in out.setdefault(key, set()):
            continue
        out[key].add(flow)
        decl = side.decls.get(key)
        if decl is not None:
            stack.extend(side.norm(k) for k in _decl_refs(decl))


def _decl_refs(decl: Decl) -> set[str]:
    if isinstance(decl, Model):
        refs: set[str] = set()
        for t in [f.type for f in decl.fields] + ([decl.extra] if decl.extra else []):
            refs |= references(t)
        return refs
    if isinstance(decl, Enum):
        return set()
    return references(decl.target)
