"""OpenAPI 3.2 is read like 3.1 plus what 3.2 adds, validated against the 3.2 schema; what the
SDK does not support yet is a warning with its pointer, never a refusal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.cli import main
from generator.loader import load
from generator.loader.spec_validator import OAS32_SCHEMA
from tests.conftest import minimal, write_spec
from tests.test_features import sync_client


def ok(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def doc32(paths: dict[str, Any], schemas: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return minimal(paths, schemas, version="3.2.0", **extra)


def warnings(result: Any) -> list[str]:
    return [f"{d.pointer}: {d.message}" for d in result.diagnostics]


def test_a_valid_32_document_loads_without_findings(tmp_path: Path) -> None:
    spec = doc32(
        {"/a": {"query": {"operationId": "q", "responses": ok({"type": "string"})}}},
        jsonSchemaDialect="https://spec.openapis.org/oas/3.2/dialect/2025-09-17",
        tags=[{"name": "a", "kind": "nav", "summary": "A"}, {"name": "b", "parent": "a"}],
    )
    spec["$self"] = "https://example.com/api/openapi.yaml"
    spec["components"] = {"schemas": {"P": {"oneOf": [{"type": "string"}], "discriminator": {"propertyName": "k", "defaultMapping": "P"}}}}
    loaded = load(write_spec(tmp_path, spec), strict=True)
    assert loaded.minor == 2
    assert not loaded.validated().diagnostics, [d.format() for d in loaded.validated().diagnostics]


def test_32_documents_are_checked_against_the_32_schema(tmp_path: Path) -> None:
    assert json.loads(OAS32_SCHEMA.read_text(encoding="utf-8"))["$id"].startswith("https://spec.openapis.org/oas/3.2/schema/")
    bad = doc32({"/a": {"get": {"parameters": [{"name": "q", "in": "querystring", "schema": {"type": "string"}}], "responses": ok({"type": "string"})}}})
    found = [d.format() for d in load(write_spec(tmp_path / "bad", bad)).validated().diagnostics]
    # querystring takes content, never schema: the 3.2 schema says so (3.1's would not know the location)
    assert any("#/paths/~1a/get/parameters/0" in line and "invalid OpenAPI" in line for line in found), found
    same_in_31 = minimal(bad["paths"])
    found_31 = [d.format() for d in load(write_spec(tmp_path / "b31", same_in_31)).validated().diagnostics]
    assert any("'querystring' is not one of" in line for line in found_31), found_31


def test_query_and_additional_operations(generated: Any) -> None:
    paths = {
        "/cache/{key}": {
            "parameters": [{"name": "key", "in": "path", "required": True, "schema": {"type": "string"}}],
            "query": {
                "operationId": "search",
                "tags": ["cache"],
                "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {"q": {"type": "string"}}}}}},
                "responses": ok({"type": "array", "items": {"type": "string"}}),
            },
            "additionalOperations": {
                "PURGE": {"operationId": "purge", "tags": ["cache"], "responses": {"204": {"description": "gone"}}},
                "lock": {"tags": ["cache"], "responses": {"204": {"description": "locked"}}},
                "POST": {"responses": {"204": {"description": "not here"}}},
                "BAD METHOD": {"responses": {"204": {"description": "no"}}},
            },
        }
    }
    pkg, result = generated(doc32(paths))
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=["hit"]) if request.method == "QUERY" else httpx.Response(204)

    client = sync_client(pkg, handler)
    assert client.cache.search("k1", q="x") == ["hit"]  # (httpx sends every method in upper case)
    client.cache.purge("k2")
    client.cache.lock_cache_key("k3")
    assert [(r.method, r.url.path) for r in sent] == [("QUERY", "/cache/k1"), ("PURGE", "/cache/k2"), ("LOCK", "/cache/k3")]
    assert json.loads(sent[0].content) == {"q": "x"}
    assert warnings(result) == [
        "/paths/~1cache~1{key}/additionalOperations: invalid OpenAPI: 'BAD METHOD' does not match "
        '"^[a-zA-Z0-9!#$%&\'*+.^_`|~-]+$"',
        "/paths/~1cache~1{key}/additionalOperations: invalid OpenAPI: 'POST' should not be valid under "
        "{'enum': ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE', 'QUERY']}",
        "/paths/~1cache~1{key}/additionalOperations/BAD METHOD: additional operation 'BAD METHOD' skipped: "
        "not an HTTP method name",
        "/paths/~1cache~1{key}/additionalOperations/POST: additional operation 'POST' skipped: "
        "a method with a field of its own",
    ]


def test_query_is_not_an_operation_before_32(generated: Any) -> None:
    paths = {"/a": {"get": {"operationId": "a", "responses": ok({"type": "string"})}, "query": {"operationId": "b", "responses": ok({"type": "string"})}}}
    _, result = generated(minimal(paths))
    assert result.operations == 1


def test_a_querystring_parameter_sends_its_object_as_the_query(generated: Any) -> None:
    form = {"application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/Filter"}}}
    paths = {
        "/items": {
            "get": {
                "operationId": "list",
                "tags": ["items"],
                "parameters": [{"name": "filter", "in": "querystring", "required": True, "content": form}],
                "responses": ok({"type": "string"}),
            }
        },
        "/raw": {
            "get": {
                "operationId": "raw",
                "tags": ["items"],
                "parameters": [{"name": "q", "in": "querystring", "content": {"application/jsonpath": {"schema": {"type": "string"}}}}],
                "responses": ok({"type": "string"}),
            }
        },
    }
    schemas = {"Filter": {"type": "object", "properties": {"color": {"type": "string"}, "max_size": {"type": "integer"}}}}
    pkg, result = generated(doc32(paths, schemas))
    sent: list[httpx.Request] = []
    client = sync_client(pkg, lambda r: sent.append(r) or httpx.Response(200, json="ok"))
    client.items.list(filter=pkg.types.Filter(color="red", max_size=3))
    client.items.list(filter={"color": "blue"})
    client.items.raw(extra_query={"$.a": "1"})
    assert [r.url.params.multi_items() for r in sent] == [[("color", "red"), ("max_size", "3")], [("color", "blue")], [("$.a", "1")]]
    assert warnings(result) == [
        "/paths/~1raw/get/parameters/0: querystring parameter 'q' (application/jsonpath) is not supported yet: "
        "only application/x-www-form-urlencoded is; skipped (pass the query with extra_query)"
    ]


def test_tag_parents_nest_resources_and_kinds_pick_the_resource(generated: Any) -> None:
    tags = [
        {"name": "pets", "description": "Pets."},
        {"name": "toys", "parent": "pets", "summary": "Toys of pets."},
        {"name": "balls", "parent": "toys"},
        {"name": "beta", "kind": "badge"},
        {"name": "lost", "parent": "nowhere"},
        {"name": "x", "parent": "y"},
        {"name": "y", "parent": "x"},
    ]

    def op(op_id: str, *tags: str) -> dict[str, Any]:
        return {"get": {"operationId": op_id, "tags": list(tags), "responses": ok({"type": "string"})}}

    paths = {"/a": op("listPets", "pets"), "/b": op("listToys", "beta", "toys"), "/c": op("bounce", "balls"), "/d": op("find", "lost"), "/e": op("loop", "x")}
    pkg, result = generated(doc32(paths, tags=tags))
    client = sync_client(pkg, lambda r: httpx.Response(200, json=r.url.path))
    assert client.pets.list_pets() == "/a"
    assert client.pets.toys.list_toys() == "/b"
    assert client.pets.toys.balls.bounce() == "/c"
    assert client.lost.find() == "/d"
    assert client.y.x.loop() == "/e"
    assert type(client.pets.toys).__doc__.strip() == "Toys of pets."
    assert sorted(warnings(result)) == [
        "/tags/4/parent: tag 'lost': parent 'nowhere' is not a declared tag; its resource is not nested",
        "/tags/5/parent: tag 'x': its parents form a loop (x → y → x); nested no deeper than 'y'",
        "/tags/6/parent: tag 'y': its parents form a loop (y → x → y); nested no deeper than 'x'",
    ]


def test_item_schema_is_kept_for_streaming_and_warned(generated: Any) -> None:
    from generator import Config
    from generator.ir.build import build_api

    content = {"text/event-stream": {"itemSchema": {"type": "object", "required": ["data"], "properties": {"event": {"type": "string"}, "data": {"type": "string"}}}}}
    body = {"content": {"application/jsonl": {"itemSchema": {"$ref": "#/components/schemas/Row"}}}}
    paths = {"/events": {"post": {"operationId": "events", "tags": ["s"], "requestBody": body, "responses": {"200": {"description": "events", "content": content}}}}}
    schemas = {"Row": {"type": "object", "properties": {"n": {"type": "integer"}}}}
    pkg, result = generated(doc32(paths, schemas))
    assert "EventsEvent" in pkg.types.__all__ and "Row" in pkg.types.__all__
    assert sorted(warnings(result)) == [
        "/paths/~1events/post/requestBody/content/application~1jsonl/itemSchema: itemSchema of application/jsonl "
        "(a sequence of items) is not streamed yet: the body is sent whole; the item type is generated",
    ]  # text/event-stream is streamed: no warning
    client = sync_client(pkg, lambda r: httpx.Response(200, text="data: x\n\n", headers={"content-type": "text/event-stream"}))
    events = list(client.s.events(body=b'{"n": 1}\n'))
    assert [(e.event, e.data) for e in events] == [("message", "x")]  # the itemSchema describes the whole event
    api, _ = build_api(load(_spec_of(result)), Config(spec=_spec_of(result)), "p", "C")
    assert api is not None
    op = api.all_operations()[0]
    assert op.response.item_type is not None and op.body is not None and op.body.item_type is not None


def _spec_of(result: Any) -> Path:
    return result.package_dir.parent.parent / "spec" / "openapi.yaml"


def test_self_names_the_document_and_its_neighbours(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "spec"
    write_spec(folder / "schemas", {"Pet": {"type": "object", "properties": {"id": {"type": "integer"}}}}, "pet.yaml")
    spec = doc32(
        {
            "/pets": {"get": {"operationId": "list", "tags": ["pets"], "responses": ok({"$ref": "https://example.com/v1/schemas/pet.yaml#/Pet"})}},
            "/one": {"get": {"operationId": "one", "tags": ["pets"], "responses": ok({"$ref": "https://example.com/v1/openapi.yaml#/components/schemas/Alias"})}},
            "/far": {"get": {"operationId": "far", "tags": ["pets"], "responses": ok({"$ref": "https://example.com/v1/../secret.yaml#/X"})}},
        },
        {"Alias": {"type": "object", "properties": {"name": {"type": "string"}}}},
    )
    spec["$self"] = "https://example.com/v1/openapi.yaml"
    path = write_spec(folder, spec)
    (tmp_path / "secret.yaml").write_text("X: {type: string}\n", encoding="utf-8")
    assert main(["generate", str(path), "-o", str(tmp_path / "out"), "--package-name", "selfy"]) == 3
    err = capsys.readouterr().err
    assert "skipped: operation 'far'" in err and "leaves the spec's folder" in err
    types = tmp_path / "out" / "selfy" / "selfy" / "types"
    assert (types / "pet.py").is_file() and (types / "alias.py").is_file()
    assert main(["generate", str(path), "--strict", "-o", str(tmp_path / "strict")]) == 2
