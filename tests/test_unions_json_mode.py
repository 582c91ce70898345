"""Untagged unions are validated as JSON data: a variant with a date-time field wins over the
raw-object fallback, which only takes values no variant matches (issue #15, defect 1)."""

from __future__ import annotations

import datetime as dt
import json
import typing
from typing import Any

import httpx

from tests.conftest import minimal

REF = "#/components/schemas/"
SCHEMAS: dict[str, Any] = {
    "Event": {
        "type": "object",
        "properties": {"id": {"type": "string"}, "createdAt": {"type": "string", "format": "date-time"}},
        "required": ["id", "createdAt"],
    },
    "Note": {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]},
    "Item": {"oneOf": [{"$ref": REF + "Event"}, {"$ref": REF + "Note"}]},
    "Feed": {
        "type": "object",
        "properties": {
            "first": {"anyOf": [{"$ref": REF + "Event"}, {"$ref": REF + "Note"}]},
            "items": {"type": "array", "items": {"$ref": REF + "Item"}},
        },
    },
}
EVENT = {"id": "e1", "createdAt": "2024-05-01T10:20:30Z"}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


PATHS = {
    "/item": {
        "get": {
            "operationId": "items.get",
            "tags": ["items"],
            "responses": {"200": {"description": "ok", "content": _json({"$ref": REF + "Item"})}},
        },
        "post": {
            "operationId": "items.create",
            "tags": ["items"],
            "requestBody": {
                "content": _json(
                    {"type": "object", "properties": {"item": {"$ref": REF + "Item"}, "feed": {"$ref": REF + "Feed"}}}
                )
            },
            "responses": {"200": {"description": "ok", "content": _json({"$ref": REF + "Feed"})}},
        },
    },
    "/feed": {
        "get": {
            "operationId": "feed.get",
            "tags": ["feed"],
            "responses": {"200": {"description": "ok", "content": _json({"$ref": REF + "Feed"})}},
        }
    },
}


def _clients(pkg: Any, handler: Any) -> tuple[Any, Any]:
    transport = httpx.MockTransport(handler)
    name = next(n for n in pkg.__all__ if hasattr(getattr(pkg, n), "_package") and not n.startswith("Async"))
    sync = getattr(pkg, name)(http_client=httpx.Client(transport=transport))
    async_ = getattr(pkg, "Async" + name)(http_client=httpx.AsyncClient(transport=transport))
    return sync, async_


def _answer(body: object) -> Any:
    return lambda request: httpx.Response(200, json=body)


async def test_a_top_level_untagged_union_response_is_the_variant_sync_and_async(generated: Any) -> None:
    pkg, _ = generated(minimal(paths=PATHS, schemas=SCHEMAS))
    sync, async_ = _clients(pkg, _answer(EVENT))
    for item in (sync.items.get(), await async_.items.get()):
        assert type(item).__name__ == "Event"
        assert item.created_at == dt.datetime(2024, 5, 1, 10, 20, 30, tzinfo=dt.timezone.utc)
    sync, async_ = _clients(pkg, _answer({"text": "hi"}))
    assert type(sync.items.get()).__name__ == type(await async_.items.get()).__name__ == "Note"


async def test_nested_unions_in_models_and_lists_are_the_variants(generated: Any) -> None:
    pkg, _ = generated(minimal(paths=PATHS, schemas=SCHEMAS))
    body = {"first": EVENT, "items": [EVENT, {"text": "t"}, EVENT]}
    sync, async_ = _clients(pkg, _answer(body))
    for feed in (sync.feed.get(), await async_.feed.get(), sync.feed.with_raw_response.get().parse()):
        assert type(feed.first).__name__ == "Event" and isinstance(feed.first.created_at, dt.datetime)
        assert [type(i).__name__ for i in feed.items] == ["Event", "Note", "Event"]


def test_a_value_no_variant_matches_is_kept_raw(generated: Any) -> None:
    pkg, _ = generated(minimal(paths=PATHS, schemas=SCHEMAS))
    unknown = {"kind": "poll", "createdAt": "2024-05-01T10:20:30Z"}  # neither an Event nor a Note
    sync, _ = _clients(pkg, _answer({"first": unknown, "items": [unknown, EVENT]}))
    feed = sync.feed.get()
    assert feed.first == unknown and feed.items[0] == unknown  # raw, nothing dropped
    assert type(feed.items[1]).__name__ == "Event"
    sync, _ = _clients(pkg, _answer(unknown))
    assert sync.items.get() == unknown
    # the return type says so: the raw object is one of the declared alternatives
    assert typing.Dict[str, typing.Any] in typing.get_args(pkg.types.Item)


def test_error_bodies_and_invalid_json_still_report_clearly(generated: Any) -> None:
    pkg, _ = generated(minimal(paths=PATHS, schemas=SCHEMAS))
    sync, _ = _clients(
        pkg, lambda request: httpx.Response(200, content=b"<html>", headers={"content-type": "application/json"})
    )
    try:
        sync.items.get()
    except pkg.APIResponseValidationError as exc:
        assert "not JSON" in str(exc)
    else:
        raise AssertionError("no error")
    # JSON in UTF-16 (json.loads detects it; the fast path reads UTF-8 only)
    sync, _ = _clients(pkg, lambda request: httpx.Response(200, content=json.dumps(EVENT).encode("utf-16")))
    assert type(sync.items.get()).__name__ == "Event"


async def test_unions_in_request_bodies_are_sent_as_json_by_wire_name(generated: Any) -> None:
    pkg, _ = generated(minimal(paths=PATHS, schemas=SCHEMAS))
    seen: list[Any] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return httpx.Response(200, json={"items": []})

    sync, async_ = _clients(pkg, handler)
    t = pkg.types
    event = t.Event(id="e1", created_at=dt.datetime(2024, 5, 1, 10, 20, 30, tzinfo=dt.timezone.utc))
    feed = t.Feed(first=t.Note(text="n"), items=[event, {"raw": True}])
    sync.items.create(item=event, feed=feed)
    await async_.items.create(item=event, feed=feed)
    expected = {
        "item": {"id": "e1", "createdAt": "2024-05-01T10:20:30Z"},
        "feed": {"first": {"text": "n"}, "items": [{"id": "e1", "createdAt": "2024-05-01T10:20:30Z"}, {"raw": True}]},
    }
    assert seen == [expected, expected]
