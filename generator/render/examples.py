"""Example code for the docs, computed from the IR.

Every required argument gets a sample value built from its type tree: models through their
generated constructors (keyword names as the type checker sees them: the wire alias), enums
and literals through a known value, datetimes as ``datetime`` objects, strings guessed from
the argument's name.  Spec strings reach the code only through ``md_py_literal``; everything
else is an identifier minted by ``generator.naming``.  ``mypy --strict`` checks every example
in the tests, so the docs cannot drift from the signatures.
"""

from __future__ import annotations

import keyword
import uuid
from dataclasses import dataclass, field

from ..ir.nodes import Alias, Api, Decl, Enum, Model, Operation, Resource
from ..ir.types import (
    NONE,
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
)
from .text import md_py_literal

# Names the examples define or import themselves; a model of the same name is used as
# ``types.Name`` instead of being imported.
_TAKEN = frozenset({"asyncio", "client", "datetime", "httpx", "item", "logging", "main", "page", "result", "types"})


@dataclass(frozen=True, slots=True)
class Site:
    """Where an operation lives: the attribute chain from the client, e.g. ``("bulk_sync", "executions")``."""

    chain: tuple[str, ...]
    resource: Resource
    operation: Operation

    def path(self, root: str = "client", raw: bool = False) -> str:
        """``client.bulk_sync.executions.list`` (with ``with_raw_response`` before the method)."""
        parts = [root, *self.chain, *(["with_raw_response"] if raw else []), self.operation.name]
        return ".".join(parts)


def sites(api: Api) -> list[tuple[tuple[str, ...], Resource]]:
    """Every resource with its attribute chain, depth first in declaration order."""
    out: list[tuple[tuple[str, ...], Resource]] = []
    stack: list[tuple[tuple[str, ...], Resource]] = [((r.attr,), r) for r in reversed(api.resources)]
    while stack:
        chain, res = stack.pop()
        out.append((chain, res))
        stack.extend(((*chain, c.attr), c) for c in reversed(res.children))
    return out


def operation_sites(api: Api) -> list[Site]:
    return [Site(chain, res, op) for chain, res in sites(api) for op in res.operations]


@dataclass(slots=True)
class Code:
    """One example being written: its import set and its lines."""

    package: str
    std: set[str] = field(default_factory=set)  # ``import x``
    names: dict[str, set[str]] = field(default_factory=dict)  # module -> names
    lines: list[str] = field(default_factory=list)

    def use(self, module: str, name: str) -> str:
        self.names.setdefault(module, set()).add(name)
        return name

    def text(self) -> str:
        head = [f"import {m}" for m in sorted(self.std - {self.package})]
        local = [f"import {m}" for m in sorted(self.std & {self.package})]
        local += [f"from {m} import {', '.join(sorted(n))}" for m, n in sorted(self.names.items())]
        blocks = [b for b in ("\n".join(head), "\n".join(local)) if b]
        return "\n\n".join(blocks) + "\n\n" + "\n".join(self.lines) + "\n"


def returns_value(op: Operation) -> bool:
    """Whether the method returns something (a method typed ``-> None`` is called as a statement)."""
    return op.response.type is not None and op.response.type != NONE


class Sampler:
    """Sample argument expressions for an API's operations."""

    def __init__(self, api: Api, package: str, client: str) -> None:
        self.decls: dict[str, Decl] = {d.key: d for d in api.decls}
        self.package = package
        self.client = client

    # -- calls -----------------------------------------------------------------------------

    def call(self, site: Site, code: Code, *, raw: bool = False, extra: tuple[str, ...] = ()) -> str:
        """``client.x.y("…", name="…")``: path parameters positional, required keywords after."""
        op = site.operation
        args = [self.value(p.type, p.name, code) for p in op.path_params]
        keywords = [(p.name, p.type) for p in op.params if p.required]
        if op.body is not None:
            keywords += [(f.name, f.type) for f in op.body.fields if f.required]
            if op.body.type is not None and op.body.name and op.body.required:
                keywords.append((op.body.name, op.body.type))
        args += [f"{name}={self.value(t, name, code)}" for name, t in keywords]
        return f"{site.path(raw=raw)}({', '.join([*args, *extra])})"

    def operation_example(self, site: Site) -> str:
        """A complete script that calls one operation and prints what it returns."""
        code = Code(self.package)
        code.use(self.package, self.client)
        call = self.call(site, code)
        code.lines.append(f"client = {self.client}()")
        events = site.operation.response.events
        if site.operation.pagination is not None:
            code.lines += [f"for item in {call}:", "    print(item)"]
        elif events is not None:
            body = site.operation.body
            field = next((f.name for f in (body.fields if body else ()) if f.wire == events.condition), None)
            if field is not None:  # the stream is asked for by a boolean field
                head = call[:-1]
                call = head + ("" if head.endswith("(") else ", ") + f"{field}=True)"
            code.lines += [f"for event in {call}:", "    print(event)"]
        elif returns_value(site.operation):
            code.lines += [f"result = {call}", "print(result)"]
        else:
            code.lines.append(call)
        return code.text()

    # -- values ----------------------------------------------------------------------------

    def value(self, t: TypeRef, hint: str, code: Code) -> str:
        return self._value(t, hint, code, ()) or "None"

    def _value(self, t: TypeRef, hint: str, code: Code, stack: tuple[str, ...]) -> str | None:
        """An expression of type ``t``, or None when only an endless recursion would do."""
        if isinstance(t, Prim):
            return _prim(t, hint, code)
        if isinstance(t, Nullable):
            return self._value(t.inner, hint, code, stack) or "None"
        if isinstance(t, Constrained):  # (an example value need not meet the constraints)
            return self._value(t.inner, hint, code, stack)
        if isinstance(t, LiteralOf):
            return _literal(t.values)
        if isinstance(t, ListOf):
            return f"[{self._value(t.item, _singular(hint), code, stack) or ''}]"
        if isinstance(t, TupleOf):
            items = [self._value(m, hint, code, stack) for m in t.items]
            return None if None in items else f"[{', '.join(str(i) for i in items)}]"
        if isinstance(t, MapOf):
            inner = self._value(t.value, hint, code, stack)
            return f'{{"key": {inner}}}' if inner else "{}"
        if isinstance(t, UnionOf):
            members = sorted(t.members, key=lambda m: m == NONE)  # a real value before None
            return next((v for v in (self._value(m, hint, code, stack) for m in members) if v), None)
        return self._named(t, hint, code, stack)

    def _named(self, t: Named, hint: str, code: Code, stack: tuple[str, ...]) -> str | None:
        if t.key in stack:
            return None
        decl = self.decls[t.key]
        if isinstance(decl, Enum):
            return _literal(decl.values)
        if isinstance(decl, Alias):
            return self._value(decl.target, hint, code, (*stack, t.key))
        return self._model(decl, code, (*stack, t.key))

    def _model(self, decl: Model, code: Code, stack: tuple[str, ...]) -> str:
        if decl.name in _TAKEN or decl.name in (self.client, "Async" + self.client):
            name = code.use(self.package, "types") + "." + decl.name
        else:
            name = code.use(f"{self.package}.types", decl.name)
        fields: list[tuple[str, str]] = []
        for f in decl.fields:
            if not f.required:
                continue
            sample = self._value(f.type, f.name, code, stack)
            if sample is None:
                return f"{name}.model_construct()"
            fields.append((f.wire, sample))
        # The type checker knows a model's fields by their wire alias; pydantic accepts both.
        if all(w.isidentifier() and not keyword.iskeyword(w) for w, _ in fields):
            return f"{name}({', '.join(f'{w}={v}' for w, v in fields)})"
        pairs = ", ".join(f"{md_py_literal(w)}: {v}" for w, v in fields)
        return f"{name}.model_validate({{{pairs}}})"


def _literal(values: tuple[LiteralValue, ...]) -> str:
    known = [v for v in values if v is not None]
    return md_py_literal(known[0]) if known else "None"


def _prim(t: Prim, hint: str, code: Code) -> str:
    if t.kind == "str":
        return md_py_literal(_string(hint))
    if t.kind in ("datetime", "date"):
        code.std.add("datetime")
        if t.kind == "date":
            return "datetime.date(2024, 1, 15)"
        return "datetime.datetime(2024, 1, 15, 9, 30, tzinfo=datetime.timezone.utc)"
    simple = {
        "int": "10" if hint in ("limit", "page_size", "size", "count") else "1",
        "float": "1.5",
        "bool": "True",
        "none": "None",
        "bytes": 'b"example bytes"',
        "any": '"value"',
        "object": '{"key": "value"}',
    }
    return simple[t.kind]


def _string(hint: str) -> str:
    """A plausible string for an argument named ``hint`` (a snake_case identifier)."""
    name = hint.lower().rstrip("_")
    if name == "id" or name.endswith("_id"):
        return str(uuid.uuid5(uuid.NAMESPACE_URL, "sdkgen:" + name))
    if "email" in name:
        return "user@example.com"
    if name.endswith(("url", "uri", "endpoint")):
        return "https://example.com/hook"
    if name.endswith("filename"):
        return "example.csv"
    if name == "name" or name.endswith("_name"):
        return "Example"
    return "example"


def _singular(hint: str) -> str:
    if hint.endswith("ids"):
        return hint[:-1]
    return hint[:-1] if hint.endswith("s") and not hint.endswith("ss") else hint
