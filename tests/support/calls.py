"""Calls of generated SDK methods built from the spec: one per operation of the IR, with arguments
synthesized from the operation's raw schemas (so formats, enums and bounds hold and the contract
server's openapi-core validation passes) and converted to what the method takes (models as
instances, datetimes as objects).
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from jsonschema_path import SchemaPath

from generator import Config, load_targets
from generator.ir.build import build_api
from generator.ir.nodes import Alias, Api, Model, Operation
from generator.ir.types import ListOf, MapOf, Named, Nullable, Prim, TypeRef
from generator.loader import load
from tests.conftest import ROOT
from tests.support.synth import Synth

TARGETS: dict[str, Config] = {c.target: c for c in load_targets(ROOT / "pyproject.toml")}


@cache
def api(target: str) -> Api:
    config = TARGETS[target]
    built, diagnostics = build_api(load(config.spec), config, config.package_name or "", config.client_name or "")
    assert built is not None, diagnostics
    return built


def package(target: str) -> Any:
    """The checked-in generated package of a target, imported from ``generated/``."""
    config = TARGETS[target]
    project = str(config.output / (config.package_name or ""))
    if project not in sys.path:
        sys.path.insert(0, project)
    return importlib.import_module(config.package_name or "")


def client_class(target: str, *, asynchronous: bool) -> Any:
    name = TARGETS[target].client_name or ""
    return getattr(package(target), ("Async" if asynchronous else "") + name)


def method_of(client: Any, target: str, op: Operation) -> Any:
    """The bound SDK method of ``op`` on a client (walking nested resources)."""
    stack = [(client, r) for r in api(target).resources]
    while stack:
        parent, res = stack.pop()
        obj = getattr(parent, res.attr)
        if any(o.key == op.key for o in res.operations):
            return getattr(obj, op.name)
        stack.extend((obj, c) for c in res.children)
    raise AssertionError(f"no resource holds {op.key}")


@dataclass
class Call:
    """Arguments of one SDK call, and the wire values they must become."""

    args: list[Any] = field(default_factory=list)
    kwargs: dict[str, Any] = field(default_factory=dict)
    path: str = ""  # the request path the call must produce
    query: set[str] = field(default_factory=set)  # wire names of the query parameters passed
    body: Any = None  # JSON the request body must carry (None: no body)


def build_call(target: str, op: Operation, spec: SchemaPath, *, skip: frozenset[str] = frozenset()) -> Call:
    """Every parameter and body field the schema sample fills (required ones always);
    ``skip`` names wire parameters to leave out (e.g. a pager's cursor)."""
    types = package(target).types
    convert = _Converter(api(target), types)
    path_item = spec / "paths" / op.path
    operation = path_item / op.method
    params = {
        (str(p.get("in")), str(p.get("name"))): p
        for node in (path_item, operation)
        if "parameters" in node
        for p in node / "parameters"
    }
    call = Call(path=op.path)
    for p in op.path_params:
        value = Synth("request").value(params["path", p.wire] / "schema")
        call.args.append(value)
        call.path = call.path.replace("{" + p.wire + "}", str(value))
    for p in op.params:
        if p.wire in skip:
            continue
        value = Synth("request").value(params[p.location, p.wire] / "schema")
        call.kwargs[p.name] = convert(p.type, value)
        if p.location == "query":
            call.query.add(p.wire)
    if op.body is not None:
        media = operation / "requestBody" / "content" / op.body.content_type
        sample = Synth("request").value(media / "schema")
        if op.body.name and op.body.type is not None:
            call.kwargs[op.body.name] = convert(op.body.type, sample)
            call.body = sample
        else:
            call.body = {}
            for f in op.body.fields:
                if f.wire in sample:
                    call.kwargs[f.name] = convert(f.type, sample[f.wire])
                    call.body[f.wire] = sample[f.wire]
    return call


class _Converter:
    """JSON sample → the Python argument a generated method is typed to take."""

    def __init__(self, built: Api, types: Any) -> None:
        self.decls = {d.key: d for d in built.decls}
        self.types = types

    def __call__(self, t: TypeRef, value: Any) -> Any:
        inner = t.inner if isinstance(t, Nullable) else t
        if value is None:
            return None
        if isinstance(inner, Prim) and inner.kind == "datetime":
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if isinstance(inner, Prim) and inner.kind == "date":
            return dt.date.fromisoformat(value)
        if isinstance(inner, ListOf):
            return [self(inner.item, v) for v in value]
        if isinstance(inner, MapOf):
            return {k: self(inner.value, v) for k, v in value.items()}
        if isinstance(inner, Named):
            decl = self.decls[inner.key]
            if isinstance(decl, Model):
                return getattr(self.types, decl.name).model_validate(value)
            if isinstance(decl, Alias):
                return self(decl.target, value)
        return value


def canon(value: Any) -> Any:
    """JSON with date-times as aware datetimes, so ``Z`` and ``+00:00`` compare equal."""
    if isinstance(value, dict):
        return {k: canon(v) for k, v in value.items()}
    if isinstance(value, list):
        return [canon(v) for v in value]
    if isinstance(value, str) and len(value) >= 20 and value[4:5] == "-" and value[10:11] == "T":
        try:
            return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    return value
