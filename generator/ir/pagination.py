"""Cursor pagination, inferred from the spec.

An operation is paginated when it takes a cursor in a query parameter (``page_token``, or a
configured name) and its response model carries a list of items and the next cursor (a field
such as ``next_page_token``, found on the response model or one level down, e.g.
``pagination.next_page_token``; or a configured dotted path).  Anything less certain is
left as a plain call: a wrong guess would make the SDK drop pages or loop.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ..config import Config
from ..naming import convert
from .nodes import Alias, Decl, Field, Model, Operation, Pagination, Param, Resource
from .types import ListOf, Named, Prim, TypeRef, strip_nullable

ITEM_FIELDS = ("data", "items", "results", "records", "entries", "values", "nodes", "objects", "elements")
LIMIT_PARAMS = ("limit", "page_size", "per_page", "max_results", "max_page_size", "count", "size")


def paginate(resources: tuple[Resource, ...], decls: Mapping[str, Decl], config: Config) -> tuple[Resource, ...]:
    """The resource tree with ``Operation.pagination`` filled in where it can be inferred."""
    finder = _Finder(decls, config)
    return tuple(_resource(res, finder) for res in resources)


def _resource(res: Resource, finder: _Finder) -> Resource:
    ops = tuple(replace(op, pagination=finder.infer(op)) for op in res.operations)
    return replace(res, operations=ops, children=tuple(_resource(c, finder) for c in res.children))


def _norm(name: str) -> str:
    return convert(name, "snake")


def _is_str(t: TypeRef) -> bool:
    return strip_nullable(t) == Prim("str")


class _Finder:
    def __init__(self, decls: Mapping[str, Decl], config: Config) -> None:
        self.decls = decls
        self.cursor_names = [_norm(n) for n in config.cursor_params]
        self.next_paths = [tuple(_norm(seg) for seg in n.split(".")) for n in config.next_cursor_fields]

    def infer(self, op: Operation) -> Pagination | None:
        if op.method != "get" or op.response.type is None:
            return None
        cursor = self._cursor(op.params)
        model = self._model(op.response.type)
        if cursor is None or model is None:
            return None
        items = _items(model)
        nxt = self._next(model)
        if items is None or nxt is None:
            return None
        item_type = strip_nullable(items.type)
        assert isinstance(item_type, ListOf)
        return Pagination(
            cursor=cursor,
            items=items.name,
            items_wire=items.wire,
            item_type=item_type.item,
            next_cursor=tuple(f.name for f in nxt),
            next_cursor_wire=tuple(f.wire for f in nxt),
            limit=_limit(op.params),
        )

    def _cursor(self, params: tuple[Param, ...]) -> Param | None:
        query = [p for p in params if p.location == "query" and _is_str(p.type) and not p.required]
        for name in self.cursor_names:
            for p in query:
                if _norm(p.wire) == name:
                    return p
        return None

    def _model(self, t: TypeRef) -> Model | None:
        seen: set[str] = set()
        t = strip_nullable(t)
        while isinstance(t, Named) and t.key not in seen:
            seen.add(t.key)
            decl = self.decls.get(t.key)
            if isinstance(decl, Model):
                return decl
            if not isinstance(decl, Alias):
                return None
            t = strip_nullable(decl.target)
        return None

    def _next(self, model: Model) -> tuple[Field, ...] | None:
        for path in self.next_paths:
            found = self._walk(model, path) if len(path) > 1 else self._search(model, path[0])
            if found is not None and _is_str(found[-1].type):
                return found
        return None

    def _walk(self, model: Model, path: tuple[str, ...]) -> tuple[Field, ...] | None:
        out: list[Field] = []
        current: Model | None = model
        for seg in path:
            field = _field(current, seg) if current is not None else None
            if field is None:
                return None
            out.append(field)
            current = self._model(field.type)
        return tuple(out)

    def _search(self, model: Model, name: str) -> tuple[Field, ...] | None:
        """The field on the model itself, or on one of its object-typed fields."""
        direct = _field(model, name)
        if direct is not None:
            return (direct,)
        for outer in model.fields:
            inner_model = self._model(outer.type)
            inner = _field(inner_model, name) if inner_model is not None else None
            if inner is not None:
                return (outer, inner)
        return None


def _field(model: Model, name: str) -> Field | None:
    return next((f for f in model.fields if _norm(f.wire) == name), None)


def _items(model: Model) -> Field | None:
    lists = [f for f in model.fields if isinstance(strip_nullable(f.type), ListOf)]
    for name in ITEM_FIELDS:
        for f in lists:
            if _norm(f.wire) == name:
                return f
    return lists[0] if len(lists) == 1 else None


def _limit(params: tuple[Param, ...]) -> Param | None:
    for name in LIMIT_PARAMS:
        for p in params:
            if p.location == "query" and _norm(p.wire) == name:
                return p
    return None


__all__ = ["ITEM_FIELDS", "LIMIT_PARAMS", "paginate"]
