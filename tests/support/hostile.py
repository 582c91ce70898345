"""Helpers for the hostile-input tests: build an SDK from a spec into a folder, import it under
its own name, call every operation through ``httpx.MockTransport``, and read its Markdown.

The SDK's IR comes from the same loader and builder the pipeline uses, so a test can map each
wire name to the Python name it was given and check both ends of the round trip.
"""

from __future__ import annotations

import asyncio
import importlib
import itertools
import json
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import httpx

from generator import Config, Result
from generator.ir.build import build_api
from generator.ir.nodes import Alias, Api, Operation, Resource
from generator.ir.types import ListOf, MapOf, Named, TypeRef, UnionOf
from generator.loader import load
from generator.pipeline import build, sdk_names
from generator.render.write import write_package
from tests.support.samples import Samples, end_followed_page

Handler = Callable[[httpx.Request, Operation], httpx.Response]


@dataclass
class Sdk:
    """A generated SDK, written and imported."""

    result: Result
    api: Api
    package: Any
    client_name: str
    requests: list[tuple[httpx.Request, Operation]] = field(default_factory=list)
    current: Operation | None = None  # the operation being called, for the mock transport

    @property
    def files(self) -> dict[str, bytes]:
        return self.result.files

    def text(self, rel: str) -> str:
        return self.result.files[rel].decode("utf-8")

    def python_files(self) -> dict[str, str]:
        return {rel: data.decode("utf-8") for rel, data in self.files.items() if rel.endswith(".py")}


def write_spec_text(folder: Path, spec: dict[str, Any], *, as_json: bool = True) -> Path:
    """The spec as JSON (exact for every string) or YAML."""
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    if as_json:
        path = folder / "openapi.json"
        path.write_text(json.dumps(spec, ensure_ascii=True, indent=1), encoding="utf-8")
    else:
        path = folder / "openapi.yaml"
        path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=False), encoding="utf-8")
    return path


def build_sdk(spec_path: Path, output: Path, *, formatted: bool = True, validation: bool = True, **options: Any) -> Sdk:
    """Generate (black and openapi-spec-validator optional: names and semantics do not depend
    on them), write, import."""
    config = Config(spec=spec_path, output=output, **options)
    loaded = load(spec_path, strict=config.strict, validation=validation)
    result = build(config, loaded=loaded, formatted=formatted)
    write_package(result.package_dir, result.files)
    package, client = sdk_names(loaded, config)
    api, diagnostics = build_api(loaded, config, package, client)
    assert api is not None, diagnostics
    purge(package)
    sys.path.insert(0, str(result.package_dir))
    try:
        importlib.invalidate_caches()
        module = importlib.import_module(package)
    finally:
        sys.path.remove(str(result.package_dir))
    return Sdk(result, api, module, client)


def purge(package: str) -> None:
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]


def import_every_module(sdk: Sdk) -> None:
    """Import every generated module (resources and types are otherwise imported lazily)."""
    pkg = sdk.package.__name__
    for rel in sorted(sdk.python_files()):
        parts = rel[: -len(".py")].split("/")
        if parts[0] != pkg:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        importlib.import_module(".".join(parts))


def walk(api: Api) -> Iterator[tuple[tuple[str, ...], Resource, Operation]]:
    stack: list[tuple[tuple[str, ...], Resource]] = [((r.attr,), r) for r in api.resources]
    while stack:
        chain, res = stack.pop()
        for op in res.operations:
            yield chain, res, op
        stack.extend(((*chain, c.attr), c) for c in res.children)


class BoundedSamples(Samples):
    """``Samples`` that stop at a depth, for recursive lists, maps and aliases."""

    def json(self, t: TypeRef, depth: int = 0) -> Any:
        if depth > 4:
            return [] if isinstance(t, ListOf) else {} if isinstance(t, MapOf) else None
        if isinstance(t, Named) and isinstance(self.decls[t.key], Alias):
            return self.json(cast(Alias, self.decls[t.key]).target, depth + 1)
        if isinstance(t, UnionOf):  # a member that ends the recursion first (OneA = OneB | str)
            plain = [m for m in t.members if not isinstance(m, Named)]
            return self.json((plain or list(t.members))[0], depth + 1)
        return super().json(t, depth)


def sample_response(sdk: Sdk, op: Operation, request: httpx.Request) -> httpx.Response:
    if op.response.kind == "json" and op.response.type is not None:
        return httpx.Response(200, json=end_followed_page(op, request, BoundedSamples(sdk.api).json(op.response.type)))
    if op.response.kind == "text":
        return httpx.Response(200, text="text")
    if op.response.kind == "binary":
        return httpx.Response(200, content=b"bytes")
    return httpx.Response(204)


def arguments(sdk: Sdk, op: Operation, overrides: dict[str, Any] | None = None) -> tuple[list[Any], dict[str, Any]]:
    """Every required argument (and any override, by Python name), as the method takes it."""
    samples = Samples(sdk.api)
    types = sdk.package.types
    overrides = overrides or {}
    args = [overrides.get(p.name, samples.python(p.type, types)) for p in op.path_params]
    kwargs = {p.name: samples.python(p.type, types) for p in op.params if p.required}
    if op.body is not None:
        kwargs |= {f.name: samples.python(f.type, types) for f in op.body.fields if f.required}
        if op.body.type is not None and op.body.name and op.body.required:
            kwargs[op.body.name] = samples.python(op.body.type, types)
    kwargs |= {k: v for k, v in overrides.items() if k not in {p.name for p in op.path_params}}
    return args, kwargs


def client(sdk: Sdk, handler: Handler, *, asynchronous: bool = False) -> Any:
    """A client whose transport answers with ``handler(request, operation being called)``."""

    def route(request: httpx.Request) -> httpx.Response:
        assert sdk.current is not None, f"unexpected request {request.method} {request.url}"
        sdk.requests.append((request, sdk.current))
        return handler(request, sdk.current)

    transport = httpx.MockTransport(route)
    name = ("Async" if asynchronous else "") + sdk.client_name
    http = httpx.AsyncClient(transport=transport) if asynchronous else httpx.Client(transport=transport)
    options: dict[str, Any] = {"base_url": "https://api.test", "http_client": http}
    for scheme in sdk.api.security_schemes:
        options |= dict.fromkeys(scheme.names, "secret")
    return getattr(sdk.package, name)(**options)


def method(sdk: Sdk, root: Any, chain: tuple[str, ...], op: Operation) -> Any:
    obj = root
    for attr in chain:
        obj = getattr(obj, attr)
    return getattr(obj, op.name)


def call(sdk: Sdk, root: Any, chain: tuple[str, ...], op: Operation, overrides: dict[str, Any] | None = None) -> Any:
    args, kwargs = arguments(sdk, op, overrides)
    sdk.current = op
    result = method(sdk, root, chain, op)(*args, **kwargs)
    if op.pagination is not None:
        return list(itertools.islice(result, 3))
    return result


def call_every_operation(sdk: Sdk, handler: Handler | None = None) -> None:
    """Each operation once, sync and async, answered with a sample of its response."""
    reply = handler or (lambda request, op: sample_response(sdk, op, request))
    sync = client(sdk, reply)
    for chain, _, op in walk(sdk.api):
        call(sdk, sync, chain, op)

    async def run_async() -> None:
        async_client = client(sdk, reply, asynchronous=True)
        for chain, _, op in walk(sdk.api):
            args, kwargs = arguments(sdk, op)
            sdk.current = op
            result = method(sdk, async_client, chain, op)(*args, **kwargs)
            if op.pagination is not None:
                async for _ in result:
                    break
            else:
                await result

    asyncio.run(run_async())


# -- Markdown ----------------------------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")


def markdown_blocks(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    """CommonMark fenced blocks: (lines outside any block, [(info string, block text)]).

    A line opens a block when it starts with three or more backticks (or tildes) and its info
    string has no backtick; the block closes at a bare fence of the same kind and at least the
    same length.  Raises AssertionError on a block left open."""
    outside: list[str] = []
    blocks: list[tuple[str, str]] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
            fence, info = match.group(1), match.group(2).strip()
            body: list[str] = []
            i += 1
            while i < len(lines):
                close = _FENCE.match(lines[i])
                if (
                    close
                    and close.group(1)[0] == fence[0]
                    and len(close.group(1)) >= len(fence)
                    and not close.group(2).strip()
                ):
                    break
                body.append(lines[i])
                i += 1
            assert i < len(lines), f"fenced block {info!r} is never closed"
            blocks.append((info, "\n".join(body)))
        else:
            outside.append(lines[i])
        i += 1
    return outside, blocks


# -- hostile documents (shared with benchmarks/hostile_limits.py) -------------------------------


def base_doc(**extra: Any) -> dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "Hostile", "version": "1"}, "paths": {}, **extra}


def deep_json(depth: int, kind: str = "array") -> str:
    """A document whose ``x-deep`` extension nests ``depth`` arrays or objects."""
    inner = "[" * depth + "]" * depth if kind == "array" else '{"a":' * depth + "1" + "}" * depth
    return json.dumps(base_doc())[:-1] + ', "x-deep": ' + inner + "}"


def deep_yaml(depth: int, kind: str = "array", block: bool = False) -> str:
    head = "openapi: 3.1.0\ninfo: {title: Hostile, version: '1'}\npaths: {}\n"
    if block:  # indentation nesting: "a:\n  a:\n    a: 1"
        return (
            head
            + "x-deep:\n"
            + "".join("  " * (i + 1) + ("- " if kind == "array" else "a:") + "\n" for i in range(depth))
            + "  " * (depth + 1)
            + "1\n"
        )
    inner = "[" * depth + "]" * depth if kind == "array" else "{a: " * depth + "1" + "}" * depth
    return head + "x-deep: " + inner + "\n"


def deep_schema(depth: int) -> dict[str, Any]:
    """A schema nesting ``depth`` inline objects (under the loader's nesting limit)."""
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(depth):
        schema = {"type": "object", "properties": {"a": schema}}
    return base_doc(
        paths={
            "/deep": {
                "get": {
                    "operationId": "deep",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Deep"}}},
                        }
                    },
                }
            }
        },
        components={"schemas": {"Deep": schema}},
    )


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    lines = ["openapi: 3.1.0", "info: {title: Hostile, version: '1'}", "paths: {}", 'x-a0: &a0 ["lol"]']
    for i in range(1, levels + 1):
        lines.append(f"x-a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def cycles_doc(*, broken: bool = False) -> dict[str, Any]:
    """Recursive schemas (legal: through ``allOf``, ``oneOf``, ``items``, ``properties``,
    ``additionalProperties``), all used by operations; ``broken``: also chains of nothing but
    ``$ref``s that loop (a schema, a self-reference, a parameter, a path item): errors."""

    def ref(name: str) -> dict[str, str]:
        return {"$ref": "#/components/schemas/" + name}

    schemas = {
        "AllA": {"allOf": [ref("AllB"), {"type": "object", "properties": {"a": {"type": "string"}}}]},
        "AllB": {"allOf": [ref("AllA"), {"type": "object", "properties": {"b": {"type": "string"}}}]},
        "AllSelf": {"allOf": [ref("AllSelf")]},
        "Tree": {"type": "array", "items": ref("Tree")},
        "Map": {"type": "object", "additionalProperties": ref("Map")},
        "Node": {"type": "object", "properties": {"next": ref("Node"), "any": {"oneOf": [ref("Node"), ref("Tree")]}}},
        "OneA": {"oneOf": [ref("OneB"), {"type": "string"}]},
        "OneB": {"oneOf": [ref("OneA"), {"type": "integer"}]},
        # allOf over a recursive array: openapi-spec-validator's own walk never ends on it
        "Forest": {"allOf": [ref("Trees")], "description": "trees"},
        "Trees": {"type": "array", "items": ref("Forest")},
        "Doubled": {"allOf": [ref("Node"), ref("Node"), {"properties": {"c": {"type": "integer"}}}]},
    }
    if broken:
        schemas.update({"RefA": ref("RefB"), "RefB": ref("RefA"), "Self": ref("Self")})
        schemas["Sibling"] = {"$ref": "#/components/schemas/Sibling", "description": "a loop all the same"}
    paths = {
        f"/{name.lower()}": {
            "post": {
                "operationId": f"use{name}",
                "requestBody": {"content": {"application/json": {"schema": ref(name)}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": ref(name)}}}},
            }
        }
        for name in schemas
    }
    if not broken:
        return base_doc(paths=paths, components={"schemas": schemas})
    paths["/param-cycle"] = {
        "get": {
            "operationId": "paramCycle",
            "parameters": [{"$ref": "#/components/parameters/P"}],
            "responses": {"204": {"description": "none"}},
        }
    }
    paths["/item-cycle"] = {"$ref": "#/paths/~1item-cycle"}
    return base_doc(
        paths=paths,
        components={
            "schemas": schemas,
            "parameters": {"P": {"$ref": "#/components/parameters/Q"}, "Q": {"$ref": "#/components/parameters/P"}},
        },
    )


def ref_chain(length: int) -> dict[str, Any]:
    """``length`` object schemas, each with a property that refers to the next."""
    schemas: dict[str, Any] = {
        f"S{i}": {"type": "object", "properties": {"next": {"$ref": f"#/components/schemas/S{i + 1}"}}}
        for i in range(length)
    }
    schemas[f"S{length}"] = {"type": "string"}
    return base_doc(paths=_uses("#/components/schemas/S0"), components={"schemas": schemas})


def all_of_doubling(levels: int) -> dict[str, Any]:
    """``L{i}: allOf: [L{i-1}, L{i-1}]``: 2**levels paths through ``allOf`` to ``L0``."""
    schemas: dict[str, Any] = {"L0": {"type": "object", "properties": {"a": {"type": "string"}}}}
    for i in range(1, levels + 1):
        below = {"$ref": f"#/components/schemas/L{i - 1}"}
        schemas[f"L{i}"] = {"allOf": [below, below, {"properties": {f"p{i}": {"type": "integer"}}}]}
    return base_doc(paths=_uses(f"#/components/schemas/L{levels}"), components={"schemas": schemas})


def _uses(ref: str) -> dict[str, Any]:
    content = {"application/json": {"schema": {"$ref": ref}}}
    return {
        "/use": {
            "post": {
                "operationId": "use",
                "requestBody": {"content": content},
                "responses": {"200": {"description": "ok", "content": content}},
            }
        }
    }


def many_operations(count: int = 2000) -> dict[str, Any]:
    """``count`` operations over ``count // 20`` tags and ``count // 10`` schemas."""
    schemas = {
        f"Thing{i}": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string"},
                "name": {"type": "string"},
                "size": {"type": "integer"},
                "tags": {"type": "array", "items": {"type": "string"}},
            },
        }
        for i in range(max(1, count // 10))
    }
    paths: dict[str, Any] = {}
    for i in range(count):
        schema = {"$ref": f"#/components/schemas/Thing{i % len(schemas)}"}
        paths[f"/r{i // 2}/{{thing_id}}" + ("/sub" if i % 2 else "")] = {
            "post": {
                "operationId": f"operation{i}",
                "tags": [f"tag{i % max(1, count // 20)}"],
                "parameters": [
                    {"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                ],
                "requestBody": {"content": {"application/json": {"schema": schema}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}},
            }
        }
    return base_doc(paths=paths, components={"schemas": schemas})
