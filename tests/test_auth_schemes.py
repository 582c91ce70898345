"""Security per scheme: each scheme its own credential and argument, an operation sends exactly
what it declares (OR of requirements, AND within one), a missing credential is an error
before anything is sent; OAuth2 client credentials against a real token endpoint on
127.0.0.1 (one fetch for 100 concurrent calls, refresh on expiry and on 401, typed errors)."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from tests.conftest import minimal
from tests.support.streaming_server import Reply, Seen, serve

OK = {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}


def _op(op_id: str, security: Any = None) -> dict[str, Any]:
    op: dict[str, Any] = {"operationId": op_id, "tags": ["t"], "responses": OK}
    if security is not None:
        op["security"] = security
    return op


def _schemes_spec() -> dict[str, Any]:
    paths = {
        "/a": {"get": _op("normal_a")},
        "/b": {"get": _op("normal_b")},
        "/c": {"get": _op("normal_c")},
        "/admin": {"get": _op("admin", [{"AdminBearer": []}])},
        "/both": {"get": _op("both", [{"appKey": [], "appId": []}])},
        "/either": {"get": _op("either", [{"ApiKeyAuth": []}, {"basic": []}])},
        "/optional": {"get": _op("optional", [{}, {"ApiKeyAuth": []}])},
        "/open": {"get": _op("open", [])},
        "/query": {"get": _op("query", [{"queryKey": []}])},
    }
    doc = minimal(paths, security=[{"ApiKeyAuth": []}])
    doc["components"] = {
        "securitySchemes": {
            "AdminBearer": {"type": "http", "scheme": "bearer"},
            "ApiKeyAuth": {"type": "http", "scheme": "bearer"},
            "appKey": {"type": "apiKey", "in": "header", "name": "X-App-Key"},
            "appId": {"type": "apiKey", "in": "header", "name": "X-App-Id"},
            "queryKey": {"type": "apiKey", "in": "query", "name": "key"},
            "basic": {"type": "http", "scheme": "basic"},
        }
    }
    return doc


@pytest.fixture
def schemes(generated: Any) -> Any:
    pkg, _ = generated(_schemes_spec(), package_name="secsdk", client_name="Client")
    return pkg


def _client(pkg: Any, seen: list[httpx.Request], **kwargs: Any) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    return pkg.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)), **kwargs)


def test_names_follow_the_schemes_and_the_plain_name_binds_to_the_common_one(schemes: Any) -> None:
    import inspect

    params = list(inspect.signature(schemes.Client).parameters)
    assert {"api_key", "admin_api_key", "app_key", "app_id", "query_key", "username", "password"} <= set(params)
    seen: list[httpx.Request] = []
    client = _client(schemes, seen, api_key="user-key")
    for call in (client.t.normal_a, client.t.normal_b, client.t.normal_c):
        call()
    assert [r.headers["authorization"] for r in seen] == ["Bearer user-key"] * 3
    with pytest.raises(schemes.MissingCredentialsError, match=r"admin_api_key=.*SECSDK_ADMIN_API_KEY"):
        client.t.admin()
    assert len(seen) == 3  # nothing sent
    admin = _client(schemes, seen, admin_api_key="admin-key")
    admin.t.admin()
    assert seen[-1].headers["authorization"] == "Bearer admin-key"
    with pytest.raises(schemes.MissingCredentialsError, match="api_key="):
        admin.t.normal_a()


def test_environment_defaults_per_scheme(schemes: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECSDK_API_KEY", "env-user")
    monkeypatch.setenv("SECSDK_ADMIN_API_KEY", "env-admin")
    seen: list[httpx.Request] = []
    client = _client(schemes, seen)
    client.t.normal_a()
    client.t.admin()
    assert [r.headers["authorization"] for r in seen] == ["Bearer env-user", "Bearer env-admin"]


def test_and_within_a_requirement_or_between_requirements(schemes: Any) -> None:
    seen: list[httpx.Request] = []
    with pytest.raises(schemes.MissingCredentialsError, match=r"pass app_id= .* and pass app_key="):
        _client(schemes, seen, app_key="k").t.both()
    _client(schemes, seen, app_key="k", app_id="i").t.both()
    assert (seen[-1].headers["x-app-key"], seen[-1].headers["x-app-id"]) == ("k", "i")
    _client(schemes, seen, username="u", password="p").t.either()
    assert seen[-1].headers["authorization"].startswith("Basic ")
    _client(schemes, seen, api_key="t", username="u", password="p").t.either()
    assert seen[-1].headers["authorization"] == "Bearer t"  # the first satisfied alternative
    _client(schemes, seen, query_key="q", api_key="t").t.query()
    assert seen[-1].url.params["key"] == "q" and "authorization" not in seen[-1].headers


def test_optional_and_no_security_work_without_credentials(schemes: Any) -> None:
    seen: list[httpx.Request] = []
    bare = _client(schemes, seen)
    bare.t.optional()
    bare.t.open()
    assert all("authorization" not in r.headers for r in seen)
    _client(schemes, seen, api_key="t").t.optional()
    assert seen[-1].headers["authorization"] == "Bearer t"  # given: sent
    _client(schemes, seen, api_key="t").t.open()
    assert "authorization" not in seen[-1].headers  # security: [] sends nothing


def test_credentials_set_by_the_caller_count(schemes: Any) -> None:
    seen: list[httpx.Request] = []
    _client(schemes, seen).t.normal_a(extra_headers={"Authorization": "Bearer mine"})
    _client(schemes, seen, default_headers={"X-App-Key": "k", "X-App-Id": "i"}).t.both()
    assert seen[0].headers["authorization"] == "Bearer mine" and seen[1].headers["x-app-id"] == "i"


def test_async_client_raises_before_sending(schemes: Any) -> None:
    async def main() -> None:
        client = schemes.AsyncClient(http_client=httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(500))))
        with pytest.raises(schemes.MissingCredentialsError):
            await client.t.normal_a()

    asyncio.run(main())


# -- OAuth2 client credentials ---------------------------------------------------------------


def _oauth_spec() -> dict[str, Any]:
    flows = {"clientCredentials": {"tokenUrl": "/oauth/token", "scopes": {"read": "r", "write": "w", "admin": "a"}}}
    doc = minimal({"/things": {"get": _op("things", [{"oauth": ["read", "write"]}])}, "/free": {"get": _op("free", [])}})
    doc["components"] = {"securitySchemes": {"oauth": {"type": "oauth2", "flows": flows}}}
    return doc


class TokenServer:
    def __init__(self, lifetime: float | None = 3600, token_reply: Reply | None = None) -> None:
        self.lifetime = lifetime
        self.token_reply = token_reply
        self.fetches = 0
        self.forms: list[dict[str, list[str]]] = []
        self.valid: set[str] = set()
        self.lock = threading.Lock()

    def __call__(self, seen: Seen) -> Reply:
        js = {"Content-Type": "application/json"}
        if seen.path == "/oauth/token":
            if self.token_reply is not None:
                return self.token_reply
            time.sleep(0.05)  # slow enough for concurrent callers to pile up
            with self.lock:
                self.fetches += 1
                token = f"tok-{self.fetches}"
                self.valid = {token}
                self.forms.append(parse_qs(seen.body.decode()))
            body = {"access_token": token, "token_type": "Bearer"}
            if self.lifetime is not None:
                body["expires_in"] = self.lifetime
            data = json.dumps(body).encode()
            return Reply(headers=js, chunks=[data], length=len(data))
        auth = seen.headers.get("authorization", "")
        if seen.path == "/things" and auth.removeprefix("Bearer ") not in self.valid:
            data = b'{"error": "invalid_token"}'
            return Reply(status=401, headers=js, chunks=[data], length=len(data))
        data = b"{}"
        return Reply(headers=js, chunks=[data], length=len(data))


@pytest.fixture
def oauth(generated: Any) -> Any:
    pkg, _ = generated(_oauth_spec(), package_name="oasdk", client_name="Client")
    return pkg


def test_one_token_fetch_for_100_concurrent_async_calls(oauth: Any) -> None:
    server = TokenServer()
    with serve(server) as (url, _):

        async def main() -> None:
            async with oauth.AsyncClient(base_url=url, client_id="cid", client_secret="s3cret") as client:
                await asyncio.gather(*(client.t.things() for _ in range(100)))

        asyncio.run(main())
        asyncio.run(main())  # a new event loop, a new client: works (no lock bound to the old loop)
    assert server.fetches == 2
    form = server.forms[0]
    assert form["grant_type"] == ["client_credentials"] and form["client_id"] == ["cid"]
    assert form["client_secret"] == ["s3cret"] and form["scope"] == ["read write"]


def test_one_client_across_event_loops_and_threads(oauth: Any) -> None:
    server = TokenServer()
    with serve(server) as (url, _):
        client = oauth.AsyncClient(base_url=url, client_id="cid", client_secret="s")

        async def burst() -> None:
            await asyncio.gather(*(client.t.things() for _ in range(10)))

        asyncio.run(burst())
        client = oauth.AsyncClient(base_url=url, client_id="cid", client_secret="s")
        asyncio.run(burst())
        sync = oauth.Client(base_url=url, client_id="cid", client_secret="s")
        threads = [threading.Thread(target=sync.t.things) for _ in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert server.fetches == 3  # one per client


def test_token_is_refreshed_after_expiry_and_once_on_401(oauth: Any) -> None:
    server = TokenServer(lifetime=1)
    with serve(server) as (url, _):
        client = oauth.Client(base_url=url, client_id="cid", client_secret="s", max_retries=0)
        client.t.things()
        client.t.things()
        assert server.fetches == 1  # cached
        time.sleep(1.0)  # within a tenth of the lifetime of expiry: fetched again
        client.t.things()
        assert server.fetches == 2
        server.valid = set()  # the server revokes the token
        server.lifetime = 3600
        client.t.things()  # 401, new token, sent again
        assert server.fetches == 3
        client.t.free()  # no security: no token needed
        assert server.fetches == 3


def test_a_refused_token_is_renewed_only_once(oauth: Any) -> None:
    class Refusing(TokenServer):
        def __call__(self, seen: Seen) -> Reply:
            reply = super().__call__(seen)
            if seen.path != "/oauth/token":
                return Reply(status=401, headers={"Content-Type": "application/json"}, chunks=[b"{}"], length=2)
            return reply

    server = Refusing()
    with serve(server) as (url, _):
        client = oauth.Client(base_url=url, client_id="cid", client_secret="s", max_retries=0)
        with pytest.raises(oauth.AuthenticationError):
            client.t.things()
    assert server.fetches == 2


@pytest.mark.parametrize(
    ("reply", "text"),
    [
        (Reply(status=401, headers={"Content-Type": "application/json"}, chunks=[b'{"error": "invalid_client", "error_description": "bad s3cret"}'], length=62), "answered 401: invalid_client - bad <redacted>"),
        (Reply(status=200, headers={"Content-Type": "text/html"}, chunks=[b"<html>login</html>"], length=18), "text/html, not a JSON object"),
        (Reply(status=500, headers={"Content-Type": "text/html"}, chunks=[b"<html>oops</html>"], length=17), r"answered 500 \(text/html, not a JSON error\)"),
        (Reply(status=200, headers={"Content-Type": "application/json"}, chunks=[b'{"token": "x"}'], length=14), "without an access_token"),
    ],
)
def test_token_endpoint_failures_are_typed(oauth: Any, reply: Reply, text: str) -> None:
    with serve(TokenServer(token_reply=reply)) as (url, state):
        client = oauth.Client(base_url=url, client_id="cid", client_secret="s3cret")
        with pytest.raises(oauth.OAuth2TokenError, match=text) as info:
            client.t.things()
        assert "s3cret" not in str(info.value)
        assert state.count("/things") == 0


def test_token_never_logged_or_printed(oauth: Any, caplog: pytest.LogCaptureFixture) -> None:
    server = TokenServer()
    with serve(server) as (url, _), caplog.at_level(logging.DEBUG):
        client = oauth.Client(base_url=url, client_id="cid", client_secret="s3cret")
        client.t.things()
        auth = client._auth["oauth"]
        assert "tok-1" not in repr(auth) and "s3cret" not in repr(auth)
    assert "tok-1" not in caplog.text and "s3cret" not in caplog.text


def test_missing_client_credentials(oauth: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    client = oauth.Client(base_url="http://127.0.0.1:9")
    with pytest.raises(oauth.MissingCredentialsError, match=r"client_id= and client_secret= \(or set OASDK_CLIENT_ID"):
        client.t.things()
    monkeypatch.setenv("OASDK_CLIENT_ID", "cid")
    monkeypatch.setenv("OASDK_CLIENT_SECRET", "s")
    server = TokenServer()
    with serve(server) as (url, _):
        oauth.Client(base_url=url).t.things()
    assert server.fetches == 1


def test_a_token_endpoint_that_takes_only_http_basic(oauth: Any) -> None:
    import base64

    class BasicOnly(TokenServer):
        def __call__(self, seen: Seen) -> Reply:
            if seen.path == "/oauth/token":
                expected = "Basic " + base64.b64encode(b"cid:s%2F3").decode()
                if seen.headers.get("authorization") != expected or b"client_secret" in seen.body:
                    data = b'{"error": "invalid_client"}'
                    return Reply(status=401, headers={"Content-Type": "application/json"}, chunks=[data], length=len(data))
            return super().__call__(seen)

    server = BasicOnly(lifetime=1)
    with serve(server) as (url, state):
        client = oauth.Client(base_url=url, client_id="cid", client_secret="s/3")
        client.t.things()
        time.sleep(1.0)
        client.t.things()
        assert server.fetches == 2 and state.count("/oauth/token") == 3  # post refused once, then basic kept
