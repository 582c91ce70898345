"""Sample values synthesized from the IR's type tree: JSON for responses, Python for calls."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from generator.ir.nodes import Alias, Api, Decl, Enum, Model, Operation
from generator.ir.types import Constrained, ListOf, LiteralOf, MapOf, Named, Nullable, Prim, TypeRef, UnionOf

_JSON_PRIMS: dict[str, Any] = {
    "str": "sample",
    "int": 7,
    "float": 1.5,
    "bool": True,
    "any": {"free": "form"},
    "none": None,
    "datetime": "2024-01-15T09:30:00Z",
    "date": "2024-01-15",
    "bytes": "Ynl0ZXM=",
    "object": {"key": "value"},
}


class Samples:
    def __init__(self, api: Api) -> None:
        self.decls: dict[str, Decl] = {d.key: d for d in api.decls}

    def json(self, t: TypeRef, depth: int = 0) -> Any:
        """A JSON value of the type, every optional field filled (down to a depth)."""
        if isinstance(t, Prim):
            return _JSON_PRIMS[t.kind]
        if isinstance(t, Nullable):
            return self.json(t.inner, depth)
        if isinstance(t, LiteralOf):
            return next(v for v in t.values if v is not None)
        if isinstance(t, ListOf):
            return [self.json(t.item, depth + 1)]
        if isinstance(t, MapOf):
            return {"key": self.json(t.value, depth + 1)}
        if isinstance(t, UnionOf):
            return self.json(t.members[0], depth)
        if isinstance(t, Constrained):
            return satisfy(self.json(t.inner, depth), dict(t.checks))
        return self._named(t, depth)

    def _named(self, t: Named, depth: int) -> Any:
        decl = self.decls[t.key]
        if isinstance(decl, Enum):
            return decl.values[0]
        if isinstance(decl, Alias):
            return self.json(decl.target, depth)
        assert isinstance(decl, Model)
        fields = [f for f in decl.fields if f.required or depth < 3]
        return {f.wire: self.json(f.type, depth + 1) for f in fields}

    def python(self, t: TypeRef, types_module: Any) -> Any:
        """A Python argument of the type: models as instances, datetimes as objects."""
        inner = t.inner if isinstance(t, Nullable) else t
        if isinstance(inner, Prim) and inner.kind == "datetime":
            return dt.datetime(2024, 1, 15, 9, 30, tzinfo=dt.timezone.utc)
        if isinstance(inner, Prim) and inner.kind == "date":
            return dt.date(2024, 1, 15)
        if isinstance(inner, Prim) and inner.kind == "bytes":
            return b"bytes"
        if isinstance(inner, Constrained):
            return satisfy(self.python(inner.inner, types_module), dict(inner.checks))
        if isinstance(inner, ListOf):
            return [self.python(inner.item, types_module)]
        if isinstance(inner, MapOf):
            return {"key": self.python(inner.value, types_module)}
        if isinstance(inner, Named) and isinstance(self.decls[inner.key], Model):
            decl = self.decls[inner.key]
            return getattr(types_module, decl.name).model_validate(self.json(inner))
        return self.json(inner)


def satisfy(value: Any, checks: dict[str, Any]) -> Any:
    """The sample moved into its constraints' bounds (numbers, lengths, item counts); a
    ``pattern`` is left alone (no sample Polytomic or the feature specs need one)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in checks and value < checks["minimum"]:
            value = checks["minimum"]
        if "exclusive_minimum" in checks and value <= checks["exclusive_minimum"]:
            value = checks["exclusive_minimum"] + 1
        if "maximum" in checks and value > checks["maximum"]:
            value = checks["maximum"]
        if "exclusive_maximum" in checks and value >= checks["exclusive_maximum"]:
            value = checks["exclusive_maximum"] - 1
        return value
    if isinstance(value, str):
        value = value.ljust(checks.get("min_length", 0), "s")
        return value[: checks["max_length"]] if "max_length" in checks else value
    if isinstance(value, list) and value:
        return (value * checks.get("min_items", 1))[: checks.get("max_items", len(value) * 99)]
    return value


def end_followed_page(op: Operation, request: httpx.Request, body: Any) -> Any:
    """A sample page answering a request that follows a cursor is the last one: its next
    cursor is null, so a pager stops (a sample repeats its cursor, which a pager refuses)."""
    page = op.pagination
    if page is None or page.cursor.wire not in request.url.params or not isinstance(body, dict):
        return body
    inner: Any = body
    for key in page.next_cursor_wire[:-1]:
        inner = inner.get(key) if isinstance(inner, dict) else None
    if isinstance(inner, dict) and page.next_cursor_wire[-1] in inner:
        inner[page.next_cursor_wire[-1]] = None
    return body
