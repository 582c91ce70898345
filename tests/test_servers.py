"""Servers at root, path and operation level, server variables, and path keys that carry a
query or a fragment (issue #15, defects 8 and 9)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import minimal


def _op(op_id: str, **extra: Any) -> dict[str, Any]:
    return {"operationId": op_id, "responses": {"200": {"description": "ok"}}, **extra}


SERVERS_SPEC = minimal(
    paths={
        "/things": {"get": _op("things.list", tags=["things"])},
        "/uploads": {
            "servers": [{"url": "https://uploads.{region}.files.test"}],
            "post": _op("uploads.create", tags=["uploads"]),
            "get": _op("uploads.list", tags=["uploads"], servers=[{"url": "https://cdn.files.test/"}]),
        },
        "/token": {
            "post": _op("auth.token", tags=["auth"], servers=[{"url": "https://auth.test", "description": "login"}])
        },
        "/legacy": {"get": _op("legacy.get", tags=["legacy"], servers=[{"url": "/v0"}])},
    },
    servers=[
        {
            "url": "https://{region}.api.test/{version}",
            "variables": {
                "region": {"default": "us", "enum": ["us", "eu"]},
                "version": {"default": "v1"},
            },
        },
        {"url": "https://sandbox.api.test/v1"},
    ],
)


def _client_class(pkg: Any, prefix: str = "") -> Any:
    name = next(n for n in pkg.__all__ if hasattr(getattr(pkg, n), "_package") and not n.startswith("Async"))
    return getattr(pkg, prefix + name)


def _recording() -> tuple[list[str], httpx.MockTransport]:
    urls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        urls.append(str(request.url))
        return httpx.Response(200)

    return urls, httpx.MockTransport(handler)


def _call_all(client: Any) -> None:
    client.things.list()
    client.uploads.create()
    client.uploads.list()
    client.auth.token()
    client.legacy.get()


def test_each_operation_goes_to_its_server_with_default_variables(generated: Any) -> None:
    pkg, _ = generated(SERVERS_SPEC)
    urls, transport = _recording()
    _call_all(_client_class(pkg)(http_client=httpx.Client(transport=transport)))
    assert urls == [
        "https://us.api.test/v1/things",
        "https://uploads.us.files.test/uploads",  # the path item's server
        "https://cdn.files.test/uploads",  # the operation's server wins over the path item's
        "https://auth.test/token",
        "https://us.api.test/v0/legacy",  # relative: resolved against the root server
    ]


async def test_server_variables_set_every_server_sync_and_async(generated: Any) -> None:
    pkg, _ = generated(SERVERS_SPEC)
    urls, transport = _recording()
    variables = {"region": "eu", "version": "v2"}
    _call_all(_client_class(pkg)(server_variables=variables, http_client=httpx.Client(transport=transport)))
    client = _client_class(pkg, "Async")(server_variables=variables, http_client=httpx.AsyncClient(transport=transport))
    await client.things.list()
    await client.uploads.create()
    assert urls == [
        "https://eu.api.test/v2/things",
        "https://uploads.eu.files.test/uploads",
        "https://cdn.files.test/uploads",
        "https://auth.test/token",
        "https://eu.api.test/v0/legacy",
        "https://eu.api.test/v2/things",
        "https://uploads.eu.files.test/uploads",
    ]


def test_bad_server_variables_are_refused_when_the_client_is_built(generated: Any) -> None:
    pkg, _ = generated(SERVERS_SPEC)
    client_class = _client_class(pkg)
    with pytest.raises(ValueError, match="'region' must be one of 'us', 'eu', not 'mars'"):
        client_class(server_variables={"region": "mars"})
    with pytest.raises(ValueError, match="unknown server variable 'zone'"):
        client_class(server_variables={"zone": "a"})


def test_a_base_url_the_user_gives_wins_over_every_server(generated: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg, _ = generated(SERVERS_SPEC)
    urls, transport = _recording()
    client = _client_class(pkg)(base_url="http://127.0.0.1:4010/", http_client=httpx.Client(transport=transport))
    _call_all(client)
    assert urls == [f"http://127.0.0.1:4010/{p}" for p in ("things", "uploads", "uploads", "token", "legacy")]
    urls.clear()
    default = _client_class(pkg)(http_client=httpx.Client(transport=transport))
    _call_all(default.with_options(base_url="http://proxy.test"))
    assert {u.rsplit("/", 1)[0] for u in urls} == {"http://proxy.test"}
    urls.clear()
    env = pkg.__name__.upper() + "_BASE_URL"
    monkeypatch.setenv(env, "http://env.test")
    _call_all(_client_class(pkg)(http_client=httpx.Client(transport=transport)))
    assert {u.rsplit("/", 1)[0] for u in urls} == {"http://env.test"}


def test_what_servers_cannot_express_is_a_warning_with_its_pointer(generated: Any) -> None:
    spec = minimal(
        paths={
            "/a": {"get": _op("a.get", tags=["a"], servers=[{"url": "/v2"}])},
            "/b": {"get": _op("b.get", tags=["b"], servers=[{"url": "https://{tenant}.b.test"}])},
        },
        servers=[{"url": "/v1"}],
    )
    pkg, result = generated(spec)
    found = {(d.pointer, d.message.split(";")[0]) for d in result.diagnostics}
    assert ("/servers/0/url", "server URL '/v1' is not absolute") in found
    assert (
        "/paths/~1a/get/servers/0/url",
        "server URL '/v2' is relative and there is no absolute root server to resolve it against",
    ) in found
    assert any(p == "/paths/~1b/get/servers/0/url" and "'tenant' has no default" in m for p, m in found)
    urls, transport = _recording()
    client = _client_class(pkg)(base_url="http://h.test/v1", http_client=httpx.Client(transport=transport))
    client.a.get()
    with pytest.raises(ValueError, match="'tenant' has no default"):
        _client_class(pkg)(http_client=httpx.Client(transport=transport)).b.get()
    _client_class(pkg)(server_variables={"tenant": "acme"}, http_client=httpx.Client(transport=transport)).b.get()
    assert urls == ["http://h.test/v1/a", "https://acme.b.test/b"]


# -- path keys with a query or a fragment ------------------------------------------------------

PATH_KEYS = minimal(
    paths={
        "/responses?beta=true": {
            "post": _op(
                "responses.create",
                tags=["responses"],
                parameters=[{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
            )
        },
        "/shared_items#folders": {"get": _op("shared.folders", tags=["shared"])},
        "/shared_items#files": {"get": _op("shared.files", tags=["shared"])},
        "/items/{id}?view=full&x=a%20b": {
            "get": _op(
                "items.get",
                tags=["items"],
                parameters=[{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            )
        },
        "/flags?debug": {"get": _op("flags.get", tags=["flags"])},
        "/search?q={q}": {
            "get": _op(
                "search.run", tags=["search"], parameters=[{"name": "q", "in": "query", "schema": {"type": "string"}}]
            )
        },
        "/mode?mode=fast": {
            "get": _op(
                "mode.get", tags=["mode"], parameters=[{"name": "mode", "in": "query", "schema": {"type": "string"}}]
            )
        },
    }
)


async def test_a_query_in_a_path_key_is_sent_on_every_call_and_a_fragment_never(generated: Any) -> None:
    pkg, _ = generated(PATH_KEYS)
    urls, transport = _recording()
    client = _client_class(pkg)(http_client=httpx.Client(transport=transport))
    client.responses.create()
    client.responses.create(limit=5)
    client.shared.folders()
    client.shared.files()
    client.items.get("a/b")
    client.flags.get()
    client.search.run(q="cats")
    client.mode.get()
    client.mode.get(mode="slow")
    client.responses.create(extra_query={"beta": "false"})
    async_client = _client_class(pkg, "Async")(http_client=httpx.AsyncClient(transport=transport))
    await async_client.responses.create(limit=1)
    assert urls == [
        "https://api.test/responses?beta=true",
        "https://api.test/responses?beta=true&limit=5",
        "https://api.test/shared_items",
        "https://api.test/shared_items",
        "https://api.test/items/a%2Fb?view=full&x=a%20b",
        "https://api.test/flags?debug=",
        "https://api.test/search?q=cats",
        "https://api.test/mode",  # the declared parameter, not the path key's value
        "https://api.test/mode?mode=slow",
        "https://api.test/responses?beta=false",  # what the caller sets wins
        "https://api.test/responses?beta=true&limit=1",
    ]


def test_ambiguous_path_keys_are_warnings_with_their_pointers(generated: Any) -> None:
    _, result = generated(PATH_KEYS)
    found = {(d.pointer, d.message) for d in result.diagnostics if d.level.name == "WARNING"}
    pointers = {p for p, _ in found}
    assert "/paths/~1flags?debug" in pointers  # no value: sent as 'debug='
    assert "/paths/~1search?q={q}" in pointers  # a template in the query
    assert "/paths/~1mode?mode=fast/get" in pointers  # also declared as a parameter
    assert any(p == "/paths/~1shared_items#folders/get" and "cannot tell them apart" in m for p, m in found)
