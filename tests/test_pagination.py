"""Cursor pagination: inferred from the spec (or configured names), walked lazily by the pager."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from generator import Config
from generator.ir.build import build_api
from generator.loader import load
from tests.conftest import minimal, write_spec
from tests.test_features import ok, sync_client

PAGE = {
    "type": "object",
    "properties": {
        "data": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}},
        "pagination": {
            "type": "object",
            "properties": {"next_page_token": {"type": ["string", "null"]}},
        },
    },
}
THING = {"type": "object", "properties": {"id": {"type": "string"}, "state": {"type": "string", "enum": ["on", "off"]}}}


def _list_op(params: list[dict[str, Any]], schema: dict[str, Any], method: str = "get") -> dict[str, Any]:
    return {
        "/things": {
            method: {"operationId": "things.list", "tags": ["things"], "parameters": params, "responses": ok(schema)}
        }
    }


def q(name: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema or {"type": "string"}}


def _pagination(tmp_path: Any, spec: dict[str, Any], **config: Any) -> Any:
    path = write_spec(tmp_path / "p", spec)
    cfg = Config(spec=path, **config)
    api, diagnostics = build_api(load(path), cfg, "pkg", "Client")
    assert api is not None, diagnostics
    (op,) = api.all_operations()
    return op.pagination


@pytest.mark.parametrize(
    ("params", "page", "expected"),
    [
        (
            [q("page_token"), q("limit", {"type": "integer"})],
            PAGE,
            ("page_token", "data", ("pagination", "next_page_token"), "limit"),
        ),
        (
            [q("cursor")],
            {
                "type": "object",
                "properties": {
                    "items": {"type": "array", "items": {"type": "string"}},
                    "next_cursor": {"type": "string"},
                },
            },
            ("cursor", "items", ("next_cursor",), None),
        ),
        (
            [q("pageToken"), q("pageSize", {"type": "integer"})],
            {
                "type": "object",
                "properties": {"results": {"type": "array", "items": {}}, "nextPageToken": {"type": "string"}},
            },
            ("pageToken", "results", ("next_page_token",), "pageSize"),
        ),
    ],
)
def test_cursor_pagination_is_inferred(tmp_path: Any, params: Any, page: Any, expected: Any) -> None:
    pg = _pagination(tmp_path, minimal(_list_op(params, page), {"Thing": THING}))
    assert pg is not None
    limit = pg.limit.wire if pg.limit else None
    assert (pg.cursor.wire, pg.items, pg.next_cursor, limit) == expected


@pytest.mark.parametrize(
    ("params", "page", "method"),
    [
        ([q("offset", {"type": "integer"})], PAGE, "get"),  # no cursor parameter
        (
            [q("page_token")],
            {"type": "object", "properties": {"data": {"type": "array", "items": {}}}},
            "get",
        ),  # no next cursor
        (
            [q("page_token")],
            {**PAGE, "properties": {**PAGE["properties"], "data": {"type": "string"}}},  # no list of items
            "get",
        ),
        (
            [q("page_token")],
            {
                "type": "object",
                "properties": {
                    "a": {"type": "array", "items": {}},
                    "b": {"type": "array", "items": {}},
                    "next_page_token": {"type": "string"},
                },
            },
            "get",
        ),  # two lists, neither a conventional name: ambiguous
        ([q("page_token")], PAGE, "post"),
    ],
)
def test_uncertain_cases_stay_plain_calls(tmp_path: Any, params: Any, page: Any, method: str) -> None:
    assert _pagination(tmp_path, minimal(_list_op(params, page, method), {"Thing": THING})) is None


def test_configured_names(tmp_path: Any) -> None:
    page = {
        "type": "object",
        "properties": {
            "things": {"type": "array", "items": {"type": "string"}},
            "meta": {"type": "object", "properties": {"marker": {"type": "string"}}},
        },
    }
    spec = minimal(_list_op([q("marker")], page))
    assert _pagination(tmp_path, spec) is None
    pg = _pagination(tmp_path, spec, cursor_params=("marker",), next_cursor_fields=("meta.marker",))
    assert (pg.cursor.wire, pg.items, pg.next_cursor) == ("marker", "things", ("meta", "marker"))


class Server:
    """Serves ``pages`` (lists of item ids) chained by tokens, recording every request."""

    def __init__(self, pages: list[list[str]], tokens: list[str | None] | None = None) -> None:
        self.pages = pages
        self.tokens = (
            tokens if tokens is not None else [f"t{i + 1}" if i + 1 < len(pages) else None for i in range(len(pages))]
        )
        self.seen: list[httpx.Request] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        token = request.url.params.get("page_token")
        index = 0 if token is None else int(token[1:])
        body = {
            "data": [{"id": i, "state": "on"} for i in self.pages[index]],
            "pagination": {"next_page_token": self.tokens[index]},
        }
        return httpx.Response(200, json=body)


SPEC = minimal(_list_op([q("page_token"), q("limit", {"type": "integer"}), q("state")], PAGE), {"Thing": THING})


def test_sync_pager_walks_all_pages_lazily(generated: Any) -> None:
    pkg, _ = generated(SPEC)
    server = Server([["a", "b"], ["c"], ["d", "e"]])
    client = sync_client(pkg, server.handler)
    pager = client.things.list(limit=2, state="on")
    assert server.seen == []
    iterator = iter(pager)
    assert next(iterator).id == "a"
    assert len(server.seen) == 1  # only the first page so far
    assert [t.id for t in iterator] == ["b", "c", "d", "e"]
    assert [r.url.params.get("page_token") for r in server.seen] == [None, "t1", "t2"]
    assert all(r.url.params["limit"] == "2" and r.url.params["state"] == "on" for r in server.seen)
    pages = list(pager.iter_pages())
    assert [len(p.data) for p in pages] == [2, 1, 2]
    assert type(pages[0]).__name__ == "ThingsListResponse" or hasattr(pages[0], "pagination")


def test_pager_starts_from_the_given_cursor_follows_empty_pages_and_raises_on_repeats(generated: Any) -> None:
    pkg, _ = generated(SPEC)
    server = Server([["a"], ["b"], ["c"]])
    assert [t.id for t in sync_client(pkg, server.handler).things.list(page_token="t1")] == ["b", "c"]
    looping = Server([["a"], ["b"]], tokens=["t1", "t1"])
    walked: list[str] = []
    with pytest.raises(pkg.PaginationLoopError) as info:
        walked.extend(t.id for t in sync_client(pkg, looping.handler).things.list())
    assert walked == ["a", "b"] and len(looping.seen) == 2  # every page once, then the error
    assert info.value.cursor == "t1" and info.value.status_code == 200
    assert info.value.request is looping.seen[1] or info.value.request.url == looping.seen[1].url
    assert isinstance(info.value, pkg.APIError)
    empty = Server([["a"], [], ["b"], []], tokens=["t1", "t2", "t3", None])
    assert [t.id for t in sync_client(pkg, empty.handler).things.list()] == ["a", "b"]
    assert len(empty.seen) == 4


def test_async_pager_and_raw_first_page(generated: Any) -> None:
    pkg, _ = generated(SPEC)
    server = Server([["a", "b"], ["c"]])
    client_cls = getattr(pkg, "Async" + type(sync_client(pkg, server.handler)).__name__)
    client = client_cls(http_client=httpx.AsyncClient(transport=httpx.MockTransport(server.handler)))

    async def walk() -> tuple[list[str], int]:
        ids = [t.id async for t in client.things.list()]
        pages = [p async for p in client.things.list().iter_pages()]
        return ids, len(pages)

    assert asyncio.run(walk()) == (["a", "b", "c"], 2)
    raw = sync_client(pkg, Server([["x"], ["y"]]).handler).things.with_raw_response.list(limit=1)
    assert raw.status_code == 200
    assert [t.id for t in raw.parse().data] == ["x"]
    assert json.loads(raw.content)["pagination"]["next_page_token"] == "t1"


def test_polytomic_model_sync_list_is_a_pager() -> None:
    from tests.test_polytomic_client import _package

    pkg = _package("polytomic")
    served: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        served.append(request)
        token = request.url.params.get("page_token")
        items = [{"id": f"s{len(served)}", "name": "n", "mode": "brand-new-mode"}]
        nxt = None if token == "p2" else ("p2" if token else "p1")
        return httpx.Response(200, json={"data": items, "pagination": {"next_page_token": nxt}})

    client = pkg.Polytomic(api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    syncs = list(client.model_sync.list(limit=50))
    assert [s.id for s in syncs] == ["s1", "s2", "s3"]
    assert syncs[0].mode == "brand-new-mode"  # an enum value newer than the SDK is kept
    assert {r.url.params["limit"] for r in served} == {"50"}
