"""Schema Objects → type tree and declarations (models, enums, aliases).

OpenAPI 3.0 and 3.1 are normalized here into one form:

* nullability: 3.0 ``nullable: true``, 3.1 ``type: [..., "null"]``, a ``null`` member of
  ``oneOf``/``anyOf``, ``null`` in an ``enum`` → ``Nullable``;
* ``const`` (3.1) → a closed one-value literal; ``enum`` → an open literal;
* ``allOf`` → one merged object (properties and ``required`` united, later members win);
  a single-member ``allOf`` (the usual "ref plus description" idiom) is that member;
* ``oneOf``/``anyOf`` → a union, with discriminator tags when declared;
* ``additionalProperties`` → a map, or the typed extra of a model with properties;
* every ``$ref`` target is one named declaration (its name minted once); inline objects get
  stable names from where they appear (``ParentField``, ``ParentFieldItem``…).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, replace
from typing import Any

from ..diagnostics import Diagnostics
from ..loader import Location, RefError, RefLoop, Workspace
from ..naming import Ident, Scope, convert, field_scope
from .aliases import fix_aliases
from .allof import Merged
from .constraints import (
    closing,
    declared_constraints,
    enum_check,
    loose_variants,
    object_constraints,
    tuple_type,
    with_constraints,
)
from .discriminators import discriminator
from .nodes import Alias, Decl, Enum, Field, Model
from .printed import printed_names
from .schema_kinds import (
    UNCHECKED,
    doc_of,
    is_nullable,
    is_object_model,
    json_kind,
    literal_values,
    structural,
    type_list,
    unliteral,
)
from .skips import Skips
from .types import (
    ANY,
    NONE,
    ListOf,
    LiteralOf,
    MapOf,
    Named,
    Prim,
    TypeRef,
    UnionOf,
    constrained,
    literal_base,
    nullable,
)

MAX_INLINE_DEPTH = 64
# Declarations met deeper than this (through refs or inline objects) are built after the one
# being built: the converter's recursion stays far below Python's limit on any document.
MAX_NAMED_DEPTH = 40
_STRING_FORMATS = {"date-time": Prim("datetime"), "date": Prim("date")}
_SIMPLE = {"integer": Prim("int"), "number": Prim("float"), "boolean": Prim("bool"), "null": NONE}


@dataclass(slots=True)
class _Pending:
    name: Ident
    building: bool = False


@dataclass(slots=True)
class SchemaConverter:
    ws: Workspace
    diagnostics: Diagnostics
    minor: int
    class_names: Scope
    checks: bool = True  # False: value constraints are left out of the types (the drift sides)
    decls: dict[str, Decl] = field(default_factory=dict)
    names: dict[str, _Pending] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)
    _depth: int = 0
    _named_depth: int = 0
    # (key, name, node, location, inline depth where it was met)
    _deferred: deque[tuple[str, Ident, dict[str, Any], Location, int]] = field(default_factory=deque)
    skips: Skips = field(init=False)  # what broken $refs cost (see ``skips``)
    _shared: set[str] = field(default_factory=set)  # keys of components and $ref targets
    _collecting: set[Location] = field(default_factory=set)  # schemas being merged (``collect``)
    _collect_hit: bool = False  # a variant being merged refers back to one of them

    def __post_init__(self) -> None:
        self.skips = Skips(self.ws, self.diagnostics)

    # -- entry points -------------------------------------------------------------------

    def declare_components(self, document: dict[str, Any], root: Location) -> None:
        schemas = (document.get("components") or {}).get("schemas") or {}
        if not isinstance(schemas, dict):
            return
        wires = sorted(schemas)
        minted = self.class_names.mint_all(wires)
        for wire in wires:
            loc = root.child("components", "schemas", wire)
            self.names.setdefault(str(loc), _Pending(minted[wire]))
        for wire in wires:
            loc = root.child("components", "schemas", wire)
            styled = convert(str(wire), self.class_names.style)  # its name, or PascalCase
            if minted[wire] != styled and minted[wire].rstrip("_0123456789") == styled:
                taken = "the name of another schema" if styled in minted.values() else "a name the generated code needs"
                self.diagnostics.warning(
                    f"schema {wire!r} is {minted[wire]!r} in the SDK's types: {styled!r} is {taken}",
                    loc.file,
                    loc.pointer,
                )
            with self.skips.declaration(str(loc), minted[wire], loc, shared=True):
                node = schemas[wire]
                target = self.type_of(node, loc, wire, named=True)
                if isinstance(node, bool) or (isinstance(node, dict) and "$ref" in node and str(loc) not in self.decls):
                    # a component that is only a $ref, or a boolean schema: exported under its own name too
                    self.locations[str(loc)] = loc
                    self.decls[str(loc)] = Alias(str(loc), minted[wire], Ident(""), target, doc_of(node), str(loc))

    def type_of(self, node: Any, loc: Location, hint: str, *, named: bool = False) -> TypeRef:
        """The type of a schema node; ``named``: the node is a declaration of its own."""
        if not isinstance(node, dict):
            if node is False:
                self.diagnostics.warning(
                    "schema false (no value is valid): the SDK accepts any value here", loc.file, loc.pointer
                )
            elif not isinstance(node, bool):
                self.diagnostics.warning("a schema must be an object; treated as any value", loc.file, loc.pointer)
            return ANY
        if "$ref" in node:
            return self._ref(node, loc, hint)
        for keyword in sorted(UNCHECKED.keys() & node.keys() - closing(node)):
            self.diagnostics.warning(
                f"'{keyword}' is not checked by the SDK: it accepts {UNCHECKED[keyword]}",
                loc.file,
                loc.pointer + "/" + keyword,
            )
        if named:
            self._shared.add(str(loc))
            return self._named(node, loc, hint)
        self._depth += 1
        try:
            if self._depth > MAX_INLINE_DEPTH:
                self.diagnostics.warning(
                    f"schema nests more than {MAX_INLINE_DEPTH} inline levels; typed as any value",
                    loc.file,
                    loc.pointer,
                )
                return ANY
            return self._inline(node, loc, hint)
        finally:
            self._depth -= 1

    # -- references and declarations ----------------------------------------------------

    def _ref(self, node: dict[str, Any], loc: Location, hint: str) -> TypeRef:
        """The type a ``$ref`` leads to; a chain of refs (with siblings or not) is followed in
        a loop, its ``nullable`` marks kept."""
        is_null = False
        seen: set[Location] = set()
        site, site_node = loc, node
        while isinstance(node, dict) and "$ref" in node:
            is_null = is_null or node.get("nullable") is True or "null" in type_list(node.get("type"))
            try:
                loc, node = self.ws.resolve(node["$ref"], loc)
                if loc in seen:
                    raise RefLoop("$ref chain loops back on itself")
            except RefLoop as exc:
                return self.skips.ref_loop(exc, site)
            except RefError as exc:
                return self.skips.broken_ref(exc, site, loc)
            seen.add(loc)
        # named after its key, or for a whole file (``$ref: Pet.yaml``) after the file
        name = loc.tokens[-1] if loc.tokens else loc.file.rsplit("/", 1)[-1].split(".", 1)[0] or hint
        result = self.type_of(node, loc, name, named=True)
        if self.minor >= 1:  # 3.1: keywords beside a $ref apply too
            result = self._checked(result, site_node, site)
        return self.skips.skipped_type(nullable(result) if is_null else result, site)

    def _named(self, node: dict[str, Any], loc: Location, hint: str) -> TypeRef:
        key = str(loc)
        pending = self.names.get(key)
        if pending is None:
            pending = self.names[key] = _Pending(self.class_names.mint(hint))
        is_null = is_nullable(node)
        if key not in self.decls and not pending.building:
            pending.building = True
            self.locations[key] = loc
            if self._named_depth >= MAX_NAMED_DEPTH:
                if key not in self._shared:
                    self.skips.note_owner(key)
                self._deferred.append((key, pending.name, node, loc, self._depth))
            else:
                self._build_decl(key, pending.name, node, loc)
                if self._named_depth == 0:
                    self._drain()
        return nullable(Named(key)) if is_null else Named(key)

    def _build_decl(self, key: str, name: Ident, node: dict[str, Any], loc: Location) -> None:
        self._named_depth += 1
        try:
            with self.skips.declaration(key, name, loc, shared=key in self._shared):
                self.decls[key] = self._declare(key, name, node, loc)
        finally:
            self._named_depth -= 1

    def _drain(self) -> None:
        """Build the declarations deferred because they were met too deep (a chain of
        thousands of schemas, each referring to the next, must not exhaust the stack)."""
        outer = self._depth
        try:
            while self._deferred:
                key, name, node, loc, self._depth = self._deferred.popleft()
                self._build_decl(key, name, node, loc)
        finally:
            self._depth = outer

    def finish(self) -> None:
        """Drop what broken $refs cost (see ``skips``) and fix the aliases pydantic cannot use
        (see ``aliases``); call once, after every schema the operations use was converted."""
        self.skips.prune(self.decls, self.locations)
        fix_aliases(self.decls, self.locations, self.diagnostics)
        self.skips.report()

    def _declare(self, key: str, name: Ident, node: dict[str, Any], loc: Location) -> Decl:
        doc = doc_of(node)
        if is_object_model(node, lambda m: self._is_object(m, loc)):
            return self._model(key, name, node, loc)
        values = node.get("enum")
        if isinstance(values, list) and values and "const" not in node and not unliteral(values):
            clean = literal_values(values)
            base = literal_base(clean)
            if any(v is not None for v in clean) and base != "any":
                enum = Enum(key, name, Ident(""), clean, base, doc, str(loc))
                declared_constraints(enum, node, loc, self.diagnostics)
                return enum
        return Alias(key, name, Ident(""), self._inline(node, loc, name), doc, str(loc))

    def _model(self, key: str, name: Ident, node: dict[str, Any], loc: Location) -> Model:
        all_of = node.get("allOf")
        for i, member in enumerate(all_of if isinstance(all_of, list) else []):
            if isinstance(member, dict) and "$ref" in member:
                # the parent keeps its own declaration, however it is used
                self.type_of(member, loc.child("allOf", i), name)
        merged = self.collect(node, loc)
        props, required, extras = merged.props, merged.required, merged.extras
        loose = [(at, self._resolved_node(at)) for at in dict.fromkeys(merged.loose)]
        variants, exclusive = loose_variants(loose, self.checks, self.diagnostics)
        for wire in sorted(required - props.keys()):
            props[wire] = ({}, loc.child("required"))  # required, any value
        types = {
            wire: self.type_of(sub, sub_loc, name + convert(wire, "pascal")) for wire, (sub, sub_loc) in props.items()
        }
        extra: TypeRef | None = None
        typed = [(s, el) for s, el in extras if isinstance(s, dict)]
        if typed:
            extra = self.type_of(typed[-1][0], typed[-1][1], name + "Extra")
        # a wire name stays the field's name unless the class body reads it (its annotations)
        reads = frozenset().union(*(printed_names(t) for t in (*types.values(), *([extra] if extra else []))))
        names = field_scope(reads | ({"str"} if extra else frozenset())).mint_all(list(props))
        fields = []
        for wire, (sub, _) in props.items():
            t = types[wire]
            sub_d = sub if isinstance(sub, dict) else {}
            fields.append(
                Field(
                    wire=wire,
                    name=names[wire],
                    type=t,
                    required=wire in required,
                    doc=doc_of(sub_d),
                    deprecated=sub_d.get("deprecated") is True,
                    default=sub_d.get("default"),
                    has_default="default" in sub_d,
                )
            )
        closed, checks = object_constraints(node, loc, self.diagnostics) if self.checks else (False, ())
        model = Model(key, name, Ident(""), tuple(fields), doc_of(node), extra, str(loc), closed, checks)
        return replace(model, variants=variants, exclusive=exclusive) if variants else model

    def collect(self, node: Any, loc: Location) -> Merged:
        """Merge an object schema and its ``allOf`` members into one set of properties
        (see ``allof``).  Iterative, and each member location is merged once per call:
        nested and repeated ``allOf``s cost linear time, not exponential; a member that refers
        back to a schema being merged is skipped, and so is a ``oneOf``/``anyOf`` variant
        that does (the usual base schema listing its own subtypes)."""
        start = self._resolved(node, loc)
        if start is None:
            return Merged()
        memo: dict[Location, Merged] = {}
        members: dict[Location, list[tuple[Location, dict[str, Any]]]] = {}
        on_stack: set[Location] = set()
        stack: list[tuple[Location, dict[str, Any], bool]] = [(*start, False)]
        while stack:
            at, schema, done = stack.pop()
            if done:
                on_stack.discard(at)
                merged = Merged()
                for member_loc, _ in members[at]:
                    merged.update(memo.get(member_loc) or Merged())
                merged.add_own(schema, at)
                variants = self._variants(schema, at, on_stack)
                if variants:
                    merged.add_variants(variants)
                    merged.loose.append(at)
                memo[at] = merged
                continue
            if at in self._collecting:
                self._collect_hit = True
                continue
            if at in memo or at in on_stack:
                continue
            on_stack.add(at)
            stack.append((at, schema, True))
            found = members[at] = []
            all_of = schema.get("allOf")
            for i, member in enumerate(all_of if isinstance(all_of, list) else []):
                resolved = self._resolved(member, at.child("allOf", i))
                if resolved is not None and resolved[0] in on_stack:
                    where = resolved[0]
                    self.diagnostics.warning(
                        "allOf refers back to itself; the cycle is ignored", where.file, where.pointer
                    )
                elif resolved is not None:
                    found.append(resolved)
            stack.extend((m, n, False) for m, n in reversed(found))
        return memo.get(start[0]) or Merged()

    def _variants(self, schema: dict[str, Any], at: Location, merging: set[Location]) -> list[Merged]:
        """The merged properties of each ``oneOf``/``anyOf`` variant of an object schema;
        none when a variant refers back to a schema being merged."""
        keyword = next((k for k in ("oneOf", "anyOf") if isinstance(schema.get(k), list) and schema[k]), None)
        if keyword is None or len(self._collecting) > MAX_NAMED_DEPTH:
            return []  # (variants nested deeper than that are not merged: the stack stays short)
        outer, hit = set(self._collecting), self._collect_hit
        self._collecting |= merging | {at}
        self._collect_hit = False
        try:
            out = [self.collect(v, at.child(keyword, i)) for i, v in enumerate(schema[keyword])]
            return [] if self._collect_hit else out
        finally:
            self._collecting, self._collect_hit = outer, hit

    def _is_object(self, member: Any, loc: Location) -> bool:
        """Whether a schema written at ``loc`` (followed through its $refs) describes objects."""
        resolved = self._resolved(member, loc) if isinstance(member, dict) and "$ref" in member else None
        node = resolved[1] if resolved is not None else member
        if not isinstance(node, dict):
            return False
        return "object" in type_list(node.get("type")) or any(
            k in node for k in ("properties", "allOf", "additionalProperties", "oneOf", "anyOf")
        )

    def _resolved_node(self, loc: Location) -> dict[str, Any]:
        try:
            node = self.ws.node(loc)
        except (RefError, KeyError, IndexError, TypeError):
            return {}
        return node if isinstance(node, dict) else {}

    def _resolved(self, node: Any, loc: Location) -> tuple[Location, dict[str, Any]] | None:
        if isinstance(node, dict) and "$ref" in node:
            try:
                loc, node = self.ws.resolve(node["$ref"], loc)
            except RefLoop as exc:  # names no schema: adds nothing to the merge
                self.skips.ref_loop(exc, loc)
                return None
            except RefError as exc:
                self.skips.broken_ref(exc, loc, loc, here="its properties are left out here")
                return None
        return (loc, node) if isinstance(node, dict) else None

    # -- inline schemas -----------------------------------------------------------------

    def _inline(self, node: dict[str, Any], loc: Location, hint: str) -> TypeRef:
        t = self._checked(self._inline_core(node, loc, hint), node, loc)
        all_of = node.get("allOf")
        for i, member in enumerate(all_of if isinstance(all_of, list) else []):
            if isinstance(member, dict) and not structural(member):  # "allOf: [$ref, {maxLength: 9}]"
                t = self._checked(t, member, loc.child("allOf", i))
        return nullable(t) if is_nullable(node) else t

    def _checked(self, t: TypeRef, node: dict[str, Any], loc: Location) -> TypeRef:
        """``t`` with the value constraints ``node`` declares (see ``constraints``)."""
        if not self.checks:
            return t
        return with_constraints(t, node, loc, self.decls, self.diagnostics)

    def _inline_core(self, node: dict[str, Any], loc: Location, hint: str) -> TypeRef:
        fixed = [node["const"]] if "const" in node else node.get("enum")
        if isinstance(fixed, list) and unliteral(fixed):
            return self._unliteral_type(fixed)
        if "const" in node:
            values = literal_values([node["const"]])
            return LiteralOf(values, open=False) if values else ANY
        if isinstance(node.get("enum"), list) and node["enum"]:
            values = literal_values(node["enum"])
            if values and literal_base(values) != "any":
                return LiteralOf(values)
            # strings, numbers and booleans mixed: any value, checked against the values
            return self._unliteral_type(node["enum"]) if values else ANY
        all_of = node.get("allOf")
        if isinstance(all_of, list) and all_of and not is_object_model(node, lambda m: self._is_object(m, loc)):
            pick = next((i for i, m in enumerate(all_of) if isinstance(m, dict) and structural(m)), 0)
            return self.type_of(all_of[pick], loc.child("allOf", pick), hint)
        if is_object_model(node, lambda m: self._is_object(m, loc)):
            return self._named(node, loc, hint)
        for keyword in ("oneOf", "anyOf"):
            if isinstance(node.get(keyword), list) and node[keyword]:
                return self._union(node, keyword, loc, hint)
        return self._by_type(node, loc, hint)

    def _unliteral_type(self, values: list[Any]) -> TypeRef:
        """An enum or const whose values a ``Literal`` cannot hold (numbers with a fraction,
        objects, arrays, mixed kinds): the values' JSON type, checked against the values."""
        kinds = {json_kind(v) for v in values if v is not None}
        t: TypeRef = ANY
        if kinds <= {"int", "float"}:
            t = Prim("float")
        elif kinds == {"object"}:
            t = Prim("object")
        elif kinds == {"array"}:
            t = ListOf(ANY)
        t = constrained(t, enum_check(values))
        return nullable(t) if None in values else t

    def _by_type(self, node: dict[str, Any], loc: Location, hint: str) -> TypeRef:
        types = [t for t in type_list(node.get("type")) if t != "null"]
        if not types:
            if "items" in node or "prefixItems" in node:
                types = ["array"]
            elif "additionalProperties" in node or "properties" in node:
                types = ["object"]
            else:
                return NONE if type_list(node.get("type")) == ["null"] else ANY
        members = [self._single_type(t, node, loc, hint) for t in types]
        return members[0] if len(members) == 1 else UnionOf(tuple(dict.fromkeys(members)))

    def _single_type(self, kind: Any, node: dict[str, Any], loc: Location, hint: str) -> TypeRef:
        if not isinstance(kind, str):
            self.diagnostics.warning(
                f"schema 'type' must be a string or a list of strings, not {type(kind).__name__}; typed as any value",
                loc.file,
                loc.pointer + "/type",
            )
            return ANY
        if kind == "string":
            return _STRING_FORMATS.get(str(node.get("format")), Prim("str"))
        if kind in _SIMPLE:
            return _SIMPLE[kind]
        if kind == "array" and isinstance(node.get("prefixItems"), list):
            return tuple_type(node, loc, hint, self.type_of)
        if kind == "array":
            items = node.get("items")
            if items is None or items is True or items == {}:
                return ListOf(ANY)
            return ListOf(self.type_of(items, loc.child("items"), hint + "Item"))
        if kind == "object":
            ap = node.get("additionalProperties")
            if isinstance(ap, dict) and ap:
                return MapOf(self.type_of(ap, loc.child("additionalProperties"), hint + "Value"))
            return Prim("object")
        self.diagnostics.warning(f"unknown schema type {kind!r}; typed as any value", loc.file, loc.pointer + "/type")
        return ANY

    def _union(self, node: dict[str, Any], keyword: str, loc: Location, hint: str) -> TypeRef:
        members: list[TypeRef] = []
        has_null = False
        for i, member in enumerate(node[keyword]):
            t = self.type_of(member, loc.child(keyword, i), f"{hint}Variant{i + 1}" if i else hint + "Variant")
            if t == NONE:
                has_null = True
            else:
                members.append(t)
        unique = tuple(dict.fromkeys(members))
        if not unique:
            return NONE if has_null else ANY
        if len(unique) == 1:
            result: TypeRef = unique[0]
        elif ANY in unique:  # a variant typed as any value (a skipped schema) has no tag
            result = UnionOf(unique)
        else:
            result = UnionOf(unique, *discriminator(self.ws, self.diagnostics, node, unique, loc))
        return nullable(result) if has_null else result
