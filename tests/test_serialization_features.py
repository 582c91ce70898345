"""Feature cases for requests on the wire (issue #15, defects 3-7): each an inline spec,
generated, imported, and called through ``httpx.MockTransport``; what the server would see is
asserted (bytes, headers, the multipart parts as a multipart parser reads them)."""

from __future__ import annotations

import json
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from tests.conftest import minimal


def _op(params: list[dict[str, Any]] | None = None, body: dict[str, Any] | None = None, responses: Any = None) -> Any:
    op: dict[str, Any] = {"operationId": "call", "tags": ["t"], "responses": responses or {"204": {"description": "ok"}}}
    if params:
        op["parameters"] = params
    if body:
        op["requestBody"] = {"required": True, "content": body}
    return op


def _client(pkg: Any, respond: Any = None) -> tuple[Any, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return respond(request) if respond else httpx.Response(204)

    cls = next(getattr(pkg, n) for n in pkg.__all__ if hasattr(getattr(pkg, n), "_package") and not n.startswith("Async"))
    return cls(http_client=httpx.Client(transport=httpx.MockTransport(handler))), seen


def _parts(request: httpx.Request) -> list[tuple[str, str | None, bytes]]:
    """(name, part Content-Type, payload) of every part, read by the stdlib's MIME parser."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + request.read())
    assert message.is_multipart()
    return [
        (part.get_param("name", header="content-disposition"), part.get("content-type"), part.get_payload(decode=True))
        for part in message.iter_parts()
    ]


# -- defect 3 and "what must hold" 2: Accept and Content-Type from the spec --------------------


@pytest.mark.parametrize(
    ("content", "accept", "returned"),
    [
        ({"text/csv": {"schema": {"type": "string"}}}, "text/csv", "a,b\n"),
        ({"application/pdf": {}}, "application/pdf", b"%PDF"),
        ({"text/html": {}, "text/plain": {}}, "text/html, text/plain", "<p>"),
        ({"application/json": {"schema": {"type": "object"}}, "text/csv": {}}, "application/json", {}),
        ({"application/vnd.api+json": {"schema": {"type": "object"}}}, "application/vnd.api+json", {}),
    ],
)
def test_accept_lists_what_the_success_responses_declare(generated: Any, content: Any, accept: str, returned: Any) -> None:
    pkg, _ = generated(minimal({"/r": {"get": _op(responses={"200": {"description": "ok", "content": content}})}}))
    media = next(iter(content))

    def respond(request: httpx.Request) -> httpx.Response:
        if isinstance(returned, (dict, list)):
            return httpx.Response(200, json=returned, headers={"Content-Type": media})
        data = returned if isinstance(returned, bytes) else returned.encode()
        return httpx.Response(200, content=data, headers={"Content-Type": media})

    client, seen = _client(pkg, respond)
    assert client.t.call() == returned
    assert seen[0].headers["accept"] == accept


def test_a_user_accept_default_header_wins(generated: Any) -> None:
    pkg, _ = generated(minimal({"/r": {"get": _op(responses={"200": {"description": "ok", "content": {"text/csv": {}}}})}}))
    cls = next(getattr(pkg, n) for n in pkg.__all__ if hasattr(getattr(pkg, n), "_package") and not n.startswith("Async"))
    seen: list[httpx.Request] = []
    client = cls(
        default_headers={"Accept": "text/csv; q=1"},
        http_client=httpx.Client(transport=httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(200, text="x"))),
    )
    client.t.call()
    assert seen[0].headers["accept"] == "text/csv; q=1"


@pytest.mark.parametrize(
    ("media_type", "sent"),
    [
        ("application/vnd.api+json", "application/vnd.api+json"),
        ("application/json; charset=utf-8", "application/json; charset=utf-8"),
        ("*/*", "application/json"),
    ],
)
def test_content_type_is_the_declared_media_type(generated: Any, media_type: str, sent: str) -> None:
    body = {media_type: {"schema": {"type": "object", "properties": {"name": {"type": "string"}}}}}
    pkg, _ = generated(minimal({"/r": {"post": _op(body=body)}}))
    client, seen = _client(pkg)
    client.t.call(name="n")
    assert seen[0].headers["content-type"] == sent
    assert json.loads(seen[0].content) == {"name": "n"}


# -- defect 4: header parameters in the simple style ------------------------------------------


def test_header_parameters_use_the_simple_style(generated: Any) -> None:
    params = [
        {"name": "X-Flag", "in": "header", "schema": {"type": "boolean"}},
        {"name": "X-Tags", "in": "header", "schema": {"type": "array", "items": {"type": "string"}}},
        {"name": "X-Point", "in": "header", "schema": {"type": "object", "properties": {"x": {"type": "integer"}, "y": {"type": "integer"}}}},
        {"name": "X-Pairs", "in": "header", "explode": True, "schema": {"type": "object", "additionalProperties": {"type": "string"}}},
        {"name": "X-Json", "in": "header", "content": {"application/json": {"schema": {"type": "object"}}}},
    ]
    pkg, _ = generated(minimal({"/r": {"get": _op(params)}}))
    client, seen = _client(pkg)
    client.t.call(x_flag=True, x_tags=["a", "b"], x_point={"x": 1, "y": 2}, x_pairs={"k": "v", "n": "m"}, x_json={"a": [1]})
    headers = seen[0].headers
    assert (headers["x-flag"], headers["x-tags"], headers["x-point"]) == ("true", "a,b", "x,1,y,2")
    assert (headers["x-pairs"], headers["x-json"]) == ("k=v,n=m", '{"a":[1]}')


# -- defects 5 and 7: form and multipart bodies --------------------------------------------------

FORM_SCHEMA = {
    "type": "object",
    "properties": {
        "tags": {"type": "array", "items": {"type": "string"}},
        "meta": {"type": "object", "properties": {"a": {"type": "integer"}}},
        "flag": {"type": "boolean"},
        "ids": {"type": "array", "items": {"type": "integer"}},
        "filter": {"type": "object", "properties": {"a": {"type": "string"}}},
    },
}


def test_form_bodies_repeat_array_keys_and_follow_the_encoding_object(generated: Any) -> None:
    encoding = {"ids": {"style": "form", "explode": False}, "filter": {"style": "deepObject", "explode": True}}
    body = {"application/x-www-form-urlencoded": {"schema": FORM_SCHEMA, "encoding": encoding}}
    pkg, _ = generated(minimal({"/r": {"post": _op(body=body)}}))
    client, seen = _client(pkg)
    client.t.call(tags=["a b", "c"], meta={"a": 1}, flag=False, ids=[1, 2], filter={"a": "x"})
    request = seen[0]
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert parse_qsl(request.content.decode()) == [
        ("tags", "a b"),
        ("tags", "c"),
        ("meta", '{"a":1}'),  # an object without an encoding: JSON, OpenAPI's default for objects
        ("flag", "false"),
        ("ids", "1,2"),
        ("filter[a]", "x"),
    ]


def test_multipart_parts_per_item_with_their_content_types(generated: Any) -> None:
    schema = {
        "type": "object",
        "properties": {
            **FORM_SCHEMA["properties"],
            "file": {"type": "string", "format": "binary"},
            "doc": {"type": "object", "properties": {"b": {"type": "string"}}},
        },
    }
    encoding = {"doc": {"contentType": "application/vnd.doc+json"}, "file": {"contentType": "image/png"}}
    body = {"multipart/form-data": {"schema": schema, "encoding": encoding}}
    pkg, _ = generated(minimal({"/r": {"post": _op(body=body)}}))
    client, seen = _client(pkg)
    client.t.call(tags=["a", "b"], meta={"a": 1}, flag=True, file=b"\x89PNG", doc={"b": "c"})
    assert _parts(seen[0]) == [
        ("tags", None, b"a"),
        ("tags", None, b"b"),
        ("meta", "application/json", b'{"a":1}'),
        ("flag", None, b"true"),
        ("file", "image/png", b"\x89PNG"),
        ("doc", "application/vnd.doc+json", b'{"b":"c"}'),
    ]


def test_multipart_without_a_file_is_still_multipart(generated: Any) -> None:
    body = {"multipart/form-data": {"schema": {"type": "object", "properties": {"name": {"type": "string"}}}}}
    pkg, _ = generated(minimal({"/r": {"post": _op(body=body)}}))
    client, seen = _client(pkg)
    client.t.call(name="n")
    assert seen[0].headers["content-type"].startswith("multipart/form-data; boundary=")
    assert _parts(seen[0]) == [("name", None, b"n")]


# -- defect 6 and the query styles -------------------------------------------------------------


def test_objects_in_a_query_array_are_json_not_a_python_repr(generated: Any) -> None:
    item = {"type": "object", "properties": {"scope": {"type": "string"}}}
    params = [{"name": "grants", "in": "query", "schema": {"type": "array", "items": item}}]
    pkg, result = generated(minimal({"/r": {"get": _op(params)}}))
    client, seen = _client(pkg)
    client.t.call(grants=[{"scope": "read"}, {"scope": "write"}])
    assert parse_qsl(urlsplit(str(seen[0].url)).query) == [("grants", '{"scope":"read"}'), ("grants", '{"scope":"write"}')]
    warning = next(d for d in result.diagnostics if "grants" in d.message)
    assert "sent as JSON text" in warning.message and warning.pointer == "#/paths/~1r/get/parameters/0".lstrip("#")


def test_every_query_style_and_allow_reserved(generated: Any) -> None:
    strings = {"type": "array", "items": {"type": "string"}}
    params = [
        {"name": "form", "in": "query", "schema": strings},
        {"name": "csv", "in": "query", "explode": False, "schema": strings},
        {"name": "space", "in": "query", "style": "spaceDelimited", "schema": strings},
        {"name": "pipe", "in": "query", "style": "pipeDelimited", "schema": strings},
        {"name": "deep", "in": "query", "style": "deepObject", "explode": True, "schema": {"type": "object"}},
        {"name": "next", "in": "query", "allowReserved": True, "schema": {"type": "string"}},
        {"name": "coords", "in": "query", "content": {"application/json": {"schema": {"type": "object"}}}},
    ]
    pkg, _ = generated(minimal({"/r": {"get": _op(params)}}))
    client, seen = _client(pkg)
    client.t.call(
        form=["a", "b"], csv=["a", "b"], space=["a", "b"], pipe=["a", "b"], deep={"R": 1}, next="/x?y=1", coords={"lat": 1}
    )
    assert seen[0].url.raw_path.decode().split("?", 1)[1] == (
        "form=a&form=b&csv=a,b&space=a%20b&pipe=a%7Cb&deep%5BR%5D=1&next=/x?y=1&coords=%7B%22lat%22%3A1%7D"
    )


def test_path_styles(generated: Any) -> None:
    strings = {"type": "array", "items": {"type": "string"}}
    params = [
        {"name": "s", "in": "path", "required": True, "schema": strings},
        {"name": "l", "in": "path", "required": True, "style": "label", "schema": strings},
        {"name": "m", "in": "path", "required": True, "style": "matrix", "explode": True, "schema": strings},
    ]
    pkg, _ = generated(minimal({"/r/{s}/{l}/{m}": {"get": _op(params)}}))
    client, seen = _client(pkg)
    client.t.call(["a", "b/c"], ["d", "e"], ["f", "g"])
    assert seen[0].url.raw_path == b"/r/a,b%2Fc/.d,e/;m=f;m=g"


def test_dot_segments_are_data_not_directions(generated: Any) -> None:
    """A value of ``..`` is one segment of data, never "the parent" (which would send the call
    to another resource), and a spec's own ``.`` segment is sent as written."""
    one = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
    pkg, _ = generated(minimal({"/files/{id}/meta": {"get": _op(one)}, "/lit/./x": {"post": {**_op(), "operationId": "lit"}}}))
    client, seen = _client(pkg)
    for value in ("..", ".", "...", "a.b"):
        client.t.call(value)
    client.t.lit()
    paths = [request.url.raw_path for request in seen]
    assert paths == [b"/files/%2E%2E/meta", b"/files/%2E/meta", b"/files/.../meta", b"/files/a.b/meta", b"/lit/%2E/x"]


# -- "what must hold" 6: what cannot be sent as written is a warning with its pointer ------------


@pytest.mark.parametrize(
    ("param", "fragment", "field"),
    [
        ({"in": "header", "style": "form", "schema": {"type": "object"}}, "style 'form' is not defined for header parameters; sent as 'simple'", "/style"),
        ({"in": "query", "style": "matrix", "schema": {"type": "string"}}, "sent as 'form'", "/style"),
        ({"in": "query", "style": "deepObject", "schema": {"type": "object", "properties": {"a": {"type": "object"}}}}, "name[key][property]=value", "/style"),
        ({"in": "query", "style": "deepObject", "schema": {"type": "array"}}, "deepObject is defined for objects only", "/style"),
        ({"in": "query", "style": "pipeDelimited", "explode": True, "schema": {"type": "array"}}, "sent as repeated keys", "/explode"),
        ({"in": "header", "allowReserved": True, "schema": {"type": "string"}}, "allowReserved applies to query parameters only", "/allowReserved"),
    ],
)
def test_undefined_serializations_are_warnings_with_pointers(generated: Any, param: dict[str, Any], fragment: str, field: str) -> None:
    pkg, result = generated(minimal({"/r": {"get": _op([{"name": "p", **param}])}}))
    found = [d for d in result.diagnostics if fragment in d.message]
    assert len(found) == 1, [d.message for d in result.diagnostics]
    assert found[0].level.value == "warning" and found[0].pointer == "/paths/~1r/get/parameters/0" + field
    assert hasattr(pkg, "__all__")
