"""The spec-level diff: operations, parameters, bodies, responses, schemas, security and the
version header of two API versions, each change with a rule, a severity and SDK symbols.

Operations are matched by method and path (path parameter names ignored); what is left is
matched by ``operationId`` (a moved operation) before being reported as removed or added.
Shared declarations (same key, or a schema renamed with the same structure) are compared once
at their own location, in every direction they are used in; the more severe reading wins.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Iterable

from ..ir.nodes import Body, Operation, Param, Response
from ..ir.types import ANY
from . import constraints
from .changes import BREAKING, POSSIBLY, SAFE, Change
from .schemas import SchemaIndex
from .security import diff_security, diff_version_header
from .servers import diff_servers
from .sides import SideModel
from .types_diff import Comparer, Owner, Site

_TEMPLATE = re.compile(r"\{[^{}]*\}")


def diff_specs(old: SideModel, new: SideModel) -> list[Change]:
    index = SchemaIndex(old, new)
    comparer = Comparer(old, new, index.renames)
    differ = OperationDiff(old, new, comparer, index)
    changes = [*index.changes(comparer), *differ.run()]
    changes += diff_security(old, new)
    changes += diff_version_header(old, new)
    changes += diff_servers(old, new)
    return sorted(_unique(changes), key=Change.sort_key)


def _unique(changes: Iterable[Change]) -> list[Change]:
    """One change per finding; the same finding reached from several operations (a replaced
    type they share) carries the symbols of all of them."""
    merged: dict[tuple[object, ...], Change] = {}
    for c in changes:
        key = (c.rule, c.severity, c.message, c.where, c.direction, c.addition)
        prior = merged.get(key)
        merged[key] = c if prior is None else replace(prior, symbols=tuple(dict.fromkeys(prior.symbols + c.symbols)))
    return list(merged.values())


def path_shape(path: str) -> str:
    return _TEMPLATE.sub("{}", path)


class OperationDiff:
    def __init__(self, old: SideModel, new: SideModel, comparer: Comparer, index: SchemaIndex) -> None:
        self.old, self.new, self.cmp, self.index = old, new, comparer, index

    def run(self) -> list[Change]:
        olds = {(op.method, path_shape(op.path)): op for op in self.old.operations.values()}
        news = {(op.method, path_shape(op.path)): op for op in self.new.operations.values()}
        out: list[Change] = []
        for key in sorted(olds.keys() & news.keys()):
            out.extend(self.operation(olds[key], news[key]))
        gone = {k: v for k, v in olds.items() if k not in news}
        came = {k: v for k, v in news.items() if k not in olds}
        came_by_id = {op.operation_id: k for k, op in came.items() if op.operation_id}
        for key in sorted(gone):
            op = gone[key]
            moved_to = came_by_id.get(op.operation_id) if op.operation_id else None
            if moved_to is not None and moved_to in came:
                out.extend(self.moved(op, came.pop(moved_to)))
            else:
                out.append(self.removed(op))
        out.extend(self.added(came[key]) for key in sorted(came))
        return out

    # -- whole operations ----------------------------------------------------------------

    def removed(self, op: Operation) -> Change:
        symbol = self.old.symbols.operation(op.key)
        return Change(
            "operation-removed",
            BREAKING,
            f"{op.method.upper()} {op.path} removed (SDK method {symbol or op.operation_id} is gone)",
            self.old.where(op.location, op.method, op.path),
            (symbol,) if symbol else (),
        )

    def added(self, op: Operation) -> Change:
        symbol = self.new.symbols.operation(op.key)
        return Change(
            "operation-added",
            SAFE,
            f"{op.method.upper()} {op.path} added (SDK method {symbol})",
            self.new.where(op.location, op.method, op.path),
            (symbol,) if symbol else (),
            addition=True,
        )

    def moved(self, old: Operation, new: Operation) -> list[Change]:
        rule = "operation-method-changed" if old.method != new.method else "operation-path-changed"
        symbol = self.new.symbols.operation(new.key)
        msg = (
            f"operation {new.operation_id!r} moved from {old.method.upper()} {old.path} to "
            f"{new.method.upper()} {new.path}: clients of the old version call an endpoint that is gone"
        )
        where = self.new.where(new.location, new.method, new.path)
        return [Change(rule, BREAKING, msg, where, (symbol,)), *self.operation(old, new)]

    def operation(self, old: Operation, new: Operation) -> list[Change]:
        out = self.names(old, new)
        where = self.new.where(new.location, new.method, new.path)
        symbol = self.new.symbols.operation(new.key)
        if new.deprecated and not old.deprecated:
            msg = f"{new.method.upper()} {new.path} is deprecated: SDK method {symbol} still works, and a later version may remove it"
            out.append(Change("operation-deprecated", SAFE, msg, where, (symbol,)))
        out += self.pagination(old, new, where, symbol)
        out += self.path_params(old, new)
        out += self.params(old, new)
        out += self.body(old, new)
        out += self.response(old.response, new.response, old, new)
        out += self.errors(old, new)
        return out

    def pagination(self, old: Operation, new: Operation, where: Any, symbol: str) -> list[Change]:
        """A list that starts (or stops) paging changes what the SDK method returns: a pager
        that yields items instead of the page model, or the other way round."""
        po, pn = old.pagination, new.pagination
        if (po is None) == (pn is None):
            return []
        if pn is not None:
            msg = (
                f"{new.method.upper()} {new.path} is now cursor-paginated ({pn.cursor.wire} in, "
                f"{'.'.join(pn.next_cursor_wire)} out): the SDK method returns a pager over "
                f"{pn.items_wire!r} items instead of the page"
            )
            return [Change("operation-became-paginated", BREAKING, msg, where, (symbol,))]
        msg = f"{new.method.upper()} {new.path} is no longer paginated: the SDK method returns the page, not a pager"
        return [Change("operation-no-longer-paginated", BREAKING, msg, where, (symbol,))]

    def names(self, old: Operation, new: Operation) -> list[Change]:
        before, after = self.old.symbols.operation(old.key), self.new.symbols.operation(new.key)
        where = self.new.where(new.location + "/operationId", new.method, new.path)
        if old.operation_id != new.operation_id:
            renamed = before != after
            msg = f"operationId {old.operation_id!r} -> {new.operation_id!r}" + (
                f": SDK method {before} renamed to {after}" if renamed else " (the SDK method keeps its name)"
            )
            sev = BREAKING if renamed else SAFE
            return [Change("operation-id-changed", sev, msg, where, tuple(dict.fromkeys((before, after))))]
        if before != after:
            msg = f"SDK method {before} renamed to {after} (tag or naming changed; the wire is unchanged)"
            return [Change("sdk-method-renamed", BREAKING, msg, where, (before, after))]
        return []

    # -- parameters ----------------------------------------------------------------------

    def path_params(self, old: Operation, new: Operation) -> list[Change]:
        """Same path shape: matched by position (a renamed template variable renames the SDK's
        positional argument).  A moved operation: matched by name."""
        if path_shape(old.path) == path_shape(new.path):
            pairs = list(zip(old.path_params, new.path_params, strict=False))
            gone: list[Param] = []
            came: list[Param] = []
        else:
            olds, news = {p.wire: p for p in old.path_params}, {p.wire: p for p in new.path_params}
            pairs = [(olds[w], news[w]) for w in olds if w in news]
            gone = [p for w, p in olds.items() if w not in news]
            came = [p for w, p in news.items() if w not in olds]
        out = [self.param_removed(p, old) for p in gone] + [self.param_added(p, new) for p in came]
        for po, pn in pairs:
            out += self.path_param(po, pn, new)
        return out

    def path_param(self, po: Param, pn: Param, new: Operation) -> list[Change]:
        symbol = self.new.symbols.argument(new.key, str(pn.name))
        where = self.new.where(self.new.param_location(new, pn.wire, "path"), new.method, new.path)
        out = []
        if po.name != pn.name:
            msg = (
                f"path parameter {po.wire!r} renamed to {pn.wire!r}: SDK argument {po.name} is now {pn.name} "
                f"(positional calls keep working; calls that pass {po.name}= by keyword break)"
            )
            before = f"{self.old.symbols.operation(new.key) or self.new.symbols.operation(new.key)}({po.name}=...)"
            symbols = tuple(dict.fromkeys((symbol, before)))
            out.append(Change("path-param-renamed", BREAKING, msg, where, symbols, direction="request"))
        label = f"path parameter {pn.wire!r} of {new.method.upper()} {new.path}"
        return out + self.cmp.types(po.type, pn.type, Site("param", "request", label, where, (symbol,)))

    def params(self, old: Operation, new: Operation) -> list[Change]:
        olds, news = {_pkey(p): p for p in old.params}, {_pkey(p): p for p in new.params}
        out: list[Change] = []
        matched: set[tuple[str, str]] = set()
        for key, po in olds.items():
            pn = news.get(key)
            if pn is not None:
                out += self.param(po, pn, old, new)
                matched.add(key)
                continue
            moved = next((p for k, p in news.items() if k not in olds and k[1] == key[1].lower()), None)
            if moved is not None and _pkey(moved) not in matched:
                matched.add(_pkey(moved))
                out.append(self.param_moved(po, moved, new))
                out += self.param(po, moved, old, new, moved=True)
            else:
                out.append(self.param_removed(po, old))
        out += [self.param_added(pn, new) for key, pn in news.items() if key not in matched]
        return out

    def param_removed(self, p: Param, op: Operation) -> Change:
        where = self.old.where(self.old.param_location(op, p.wire, p.location), op.method, op.path)
        msg = f"{p.location} parameter {p.wire!r} of {op.method.upper()} {op.path} removed"
        return Change(
            "param-removed", BREAKING, msg, where, (self.old.symbols.argument(op.key, p.name),), direction="request"
        )

    def param_added(self, p: Param, op: Operation) -> Change:
        where = self.new.where(self.new.param_location(op, p.wire, p.location), op.method, op.path)
        symbols = (self.new.symbols.argument(op.key, p.name),)
        if p.required:
            msg = f"required {p.location} parameter {p.wire!r} added to {op.method.upper()} {op.path}"
            return Change("param-added-required", BREAKING, msg, where, symbols, direction="request")
        msg = f"optional {p.location} parameter {p.wire!r} added to {op.method.upper()} {op.path}"
        return Change("param-added-optional", SAFE, msg, where, symbols, addition=True, direction="request")

    def param_moved(self, po: Param, pn: Param, op: Operation) -> Change:
        where = self.new.where(self.new.param_location(op, pn.wire, pn.location), op.method, op.path)
        msg = f"parameter {pn.wire!r} of {op.method.upper()} {op.path} moved from {po.location} to {pn.location}"
        return Change(
            "param-moved", BREAKING, msg, where, (self.new.symbols.argument(op.key, pn.name),), direction="request"
        )

    def param(self, po: Param, pn: Param, old: Operation, new: Operation, moved: bool = False) -> list[Change]:
        where = self.new.where(self.new.param_location(new, pn.wire, pn.location), new.method, new.path)
        symbol = self.new.symbols.argument(new.key, pn.name)
        label = f"{pn.location} parameter {pn.wire!r} of {new.method.upper()} {new.path}"
        out: list[Change] = []
        if po.name != pn.name and not moved:
            msg = f"{label}: SDK argument {po.name} is now {pn.name}"
            out.append(Change("param-renamed-in-sdk", BREAKING, msg, where, (symbol,), direction="request"))
        if po.required != pn.required:
            rule, sev = ("param-became-required", BREAKING) if pn.required else ("param-became-optional", SAFE)
            out.append(
                Change(rule, sev, f"{label} became {rule.rsplit('-', 1)[-1]}", where, (symbol,), direction="request")
            )
        out += self.cmp.types(po.type, pn.type, Site("param", "request", label, where, (symbol,)))
        before = self.old.follow(self.old.param_location(old, po.wire, po.location))[1]
        after = self.new.follow(self.new.param_location(new, pn.wire, pn.location))[1]
        out += constraints.changes(
            _schema_of(before),
            _schema_of(after),
            prefix="param",
            flow="request",
            label=label,
            where=where,
            symbols=(symbol,),
        )
        if pn.deprecated and not po.deprecated:
            msg = f"{label} is deprecated (it still works; a later version may remove it)"
            out.append(Change("param-deprecated", SAFE, msg, where, (symbol,), direction="request"))
        if (po.has_default, po.default) != (pn.has_default, pn.default):
            msg = f"{label}: default changed from {_default(po)} to {_default(pn)} (what omitting it means changed)"
            out.append(Change("param-default-changed", POSSIBLY, msg, where, (symbol,), direction="request"))
        return out

    # -- request body --------------------------------------------------------------------

    def body(self, old: Operation, new: Operation) -> list[Change]:
        bo, bn = old.body, new.body
        symbol = self.new.symbols.operation(new.key)
        where = self.new.where(new.location + "/requestBody", new.method, new.path)
        label = f"request body of {new.method.upper()} {new.path}"
        if bo is None and bn is None:
            return []
        if bn is None:
            where = self.old.where(old.location + "/requestBody", old.method, old.path)
            return [Change("request-body-removed", BREAKING, f"{label} removed", where, (symbol,), direction="request")]
        if bo is None:
            required = [str(f.name) for f in bn.fields if f.required]
            if required and not bn.required:
                msg = (
                    f"optional {label} added, but the SDK method takes its required properties as required "
                    f"keyword arguments ({', '.join(f'{n}=' for n in required)}): existing calls lack them"
                )
                symbols = (symbol, *(f"{symbol}({n}=...)" for n in required))
                return [Change("request-body-added", BREAKING, msg, where, symbols, direction="request")]
            if bn.required:
                return [
                    Change(
                        "request-body-added", BREAKING, f"required {label} added", where, (symbol,), direction="request"
                    )
                ]
            msg = f"optional {label} added"
            return [Change("request-body-added", SAFE, msg, where, (symbol,), addition=True, direction="request")]
        out: list[Change] = []
        if bo.required != bn.required:
            rule, sev = (
                ("request-body-became-required", BREAKING) if bn.required else ("request-body-became-optional", SAFE)
            )
            out.append(
                Change(rule, sev, f"{label} became {rule.rsplit('-', 1)[-1]}", where, (symbol,), direction="request")
            )
        if bo.kind != bn.kind or _media(bo.content_type) != _media(bn.content_type):
            msg = f"{label}: media type changed from {bo.content_type} to {bn.content_type}"
            out.append(Change("request-body-media-type-changed", BREAKING, msg, where, (symbol,), direction="request"))
            return out
        return out + self.body_content(bo, bn, old, new, label)

    def body_content(self, bo: Body, bn: Body, old: Operation, new: Operation, label: str) -> list[Change]:
        symbol = self.new.symbols.operation(new.key)
        where = self.new.where(new.location + "/requestBody", new.method, new.path)
        if bo.type is not None and bn.type is not None:
            site = Site("request-body", "request", label, where, (f"{symbol}({bn.name}=...)",))
            return self.cmp.types(bo.type, bn.type, site)
        if bo.type is not None or bn.type is not None:
            shape = "keyword arguments" if bn.fields else f"one {bn.name} argument"
            msg = f"{label} changed shape: the SDK method now takes {shape}"
            return [Change("request-body-type-changed", BREAKING, msg, where, (symbol,), direction="request")]
        old_schema, new_schema = self.old.body_schema(old) or "", self.new.body_schema(new) or ""
        if self.index.same_declaration(old_schema, new_schema):
            return []  # a shared schema: compared once, where it is declared (with these arguments as symbols)
        kwargs = tuple((f.wire, str(f.name)) for f in bn.fields)
        owner = Owner(label, "request", old_schema, new_schema, new.method, new.path, args=((symbol, kwargs),))
        return self.cmp.fields(bo.fields, bn.fields, owner)

    # -- responses -----------------------------------------------------------------------

    def response(self, ro: Response, rn: Response, old: Operation, new: Operation) -> list[Change]:
        symbol = self.new.symbols.operation(new.key)
        where = self.new.where(f"{new.location}/responses/{rn.status}", new.method, new.path)
        label = f"response of {new.method.upper()} {new.path}"
        out: list[Change] = []
        before, after = _statuses(ro), _statuses(rn)
        if before != after:
            msg = (
                f"{label}: success status {', '.join(before)} -> {', '.join(after)}; the SDK method accepts "
                "any 2xx, so its return value is unchanged, but code that reads the raw response "
                "(.with_raw_response, status_code) and checks for the old status breaks"
            )
            out.append(Change("response-status-changed", POSSIBLY, msg, where, (symbol,), direction="response"))
        if ro.kind == rn.kind:
            if ro.type is not None and rn.type is not None:
                out += self.cmp.types(ro.type, rn.type, Site("response-body", "response", label, where, (symbol,)))
            return out
        if rn.kind == "empty":
            msg = f"{label}: body removed (the SDK method now returns None)"
            return [*out, Change("response-body-removed", BREAKING, msg, where, (symbol,), direction="response")]
        if ro.kind == "empty":
            msg = f"{label}: body added (the SDK method now returns a value)"
            return [*out, Change("response-body-added", SAFE, msg, where, (symbol,), True, "response")]
        msg = f"{label}: media type changed from {ro.content_type} to {rn.content_type}"
        return [*out, Change("response-media-type-changed", BREAKING, msg, where, (symbol,), direction="response")]

    def errors(self, old: Operation, new: Operation) -> list[Change]:
        """Error responses per status: the SDK raises one exception class per status either
        way, and parses ``e.body`` into the status's schema when one is declared."""
        olds, news = {r.status: r for r in old.errors}, {r.status: r for r in new.errors}
        out = []
        symbol = self.new.symbols.operation(new.key)
        name = f"{new.method.upper()} {new.path}"
        for status in sorted(news.keys() - olds.keys()):
            where = self.new.where(f"{new.location}/responses/{status}", new.method, new.path)
            body = _error_body(news[status], self.new, self.cmp)
            msg = f"{name} documents a new error status {status}" + (f" (e.body: {body})" if body else "")
            out.append(Change("error-status-added", SAFE, msg, where, (symbol,), direction="response"))
        for status in sorted(olds.keys() - news.keys()):
            where = self.old.where(f"{old.location}/responses/{status}", old.method, old.path)
            body = _error_body(olds[status], self.old, self.cmp)
            msg = f"{name} no longer documents error status {status}" + (
                f" (should it still occur, e.body is the decoded JSON instead of {body})" if body else ""
            )
            out.append(Change("error-status-removed", SAFE, msg, where, (symbol,), direction="response"))
        for status in sorted(olds.keys() & news.keys()):
            out += self.error_body(olds[status], news[status], old, new, symbol)
        return out

    def error_body(self, ro: Response, rn: Response, old: Operation, new: Operation, symbol: str) -> list[Change]:
        a, b = _typed(ro), _typed(rn)
        if a is None and b is None:
            return []
        label = f"error {rn.status} body of {new.method.upper()} {new.path}"
        if b is None:
            assert a is not None
            where = self.old.where(f"{old.location}/responses/{ro.status}", old.method, old.path)
            msg = (
                f"{label}: schema {self.cmp.describe(a, self.old)} removed: e.body is now the decoded JSON "
                f"(a dict), no longer a {self.cmp.describe(a, self.old)}; code that reads its attributes breaks"
            )
            return [Change("error-body-removed", BREAKING, msg, where, (symbol,), direction="response")]
        where = self.new.where(f"{new.location}/responses/{rn.status}", new.method, new.path)
        if a is None:
            msg = (
                f"{label}: schema {self.cmp.describe(b, self.new)} added: e.body is now a "
                f"{self.cmp.describe(b, self.new)} instead of the decoded JSON; code that indexes it as a dict breaks"
            )
            return [Change("error-body-added", POSSIBLY, msg, where, (symbol,), direction="response")]
        site = Site("error-body", "response", f"{label} (e.body)", where, (symbol,))
        out = []
        for c in self.cmp.types(a, b, site):
            if c.rule == "error-body-type-changed" and c.severity is BREAKING:
                what = f"e.body is now parsed into {self.cmp.describe(b, self.new)}, no longer {self.cmp.describe(a, self.old)}"
                c = replace(c, message=f"{c.message}: {what}; code that reads its attributes may break")
            out.append(c)
        return out


def _statuses(r: Response) -> tuple[str, ...]:
    return tuple(sorted({r.status, *r.also}))


def _typed(r: Response) -> Any:
    """The type ``e.body`` is parsed into for this error status, or None (the decoded JSON)."""
    return r.type if r.kind == "json" and r.type is not None and r.type != ANY else None


def _error_body(r: Response, side: SideModel, cmp: Comparer) -> str:
    t = _typed(r)
    return cmp.describe(t, side) if t is not None else ""


def _schema_of(param: Any) -> Any:
    return param.get("schema") if isinstance(param, dict) else None


def _pkey(p: Param) -> tuple[str, str]:
    return (p.location, p.wire.lower())


def _media(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _default(p: Param) -> str:
    return repr(p.default) if p.has_default else "none"
