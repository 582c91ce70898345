"""The static runtime's own helpers (``generator/runtime/``, copied verbatim into every SDK):
the fast paths of request building keep the results of the general ones."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx
import pydantic
import pytest

from generator.runtime._auth import ApiKeyAuth, BearerAuth
from generator.runtime._base_client import SyncAPIClient
from generator.runtime._request import Endpoint, content, random_uuid
from generator.runtime._serde import to_jsonable, validate_as
from generator.runtime._types import NOT_GIVEN


class Pet(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(populate_by_name=True)
    pet_name: str = pydantic.Field(alias="petName")
    age: int | None = None


def test_to_jsonable_drops_omitted_values_and_dumps_models_by_alias() -> None:
    when = dt.datetime(2025, 9, 18, 12, 30, tzinfo=dt.timezone.utc)
    data = {
        "a": "x",
        "b": NOT_GIVEN,
        "c": None,
        1: [1, 2.5, True, ("t", NOT_GIVEN)],
        "nested": {"d": NOT_GIVEN, "when": when, "day": when.date()},
        "pet": Pet(pet_name="Rex"),
    }
    assert to_jsonable(data) == {
        "a": "x",
        "c": None,
        "1": [1, 2.5, True, ["t", NOT_GIVEN]],  # NOT_GIVEN is dropped from mappings only
        "nested": {"when": "2025-09-18T12:30:00+00:00", "day": "2025-09-18"},
        "pet": {"petName": "Rex"},
    }
    assert to_jsonable(Pet(pet_name="Rex", age=3)) == {"petName": "Rex", "age": 3}


def test_json_body_fast_path_matches_the_general_path() -> None:
    endpoint = Endpoint("post", "/pets")
    body = {"name": "Rex", "tags": ["a"], "owner": NOT_GIVEN, "pet": Pet(pet_name="R")}
    fast = content(endpoint, body, None)
    general = content(endpoint, body, {"extra": 1})
    assert fast == {"json": {"name": "Rex", "tags": ["a"], "pet": {"petName": "R"}}}
    assert general == {"json": {**fast["json"], "extra": 1}}
    assert content(endpoint, NOT_GIVEN, None) == {}


def test_validate_as_models_and_other_types() -> None:
    assert validate_as(Pet, {"petName": "Rex"}) == Pet(pet_name="Rex")
    assert validate_as(list[int], ["1", 2]) == [1, 2]
    with pytest.raises(pydantic.ValidationError):
        validate_as(Pet, {})


def test_random_uuid_is_a_version_4_uuid() -> None:
    keys = {random_uuid() for _ in range(200)}
    assert len(keys) == 200
    for key in keys:
        parsed = uuid.UUID(key)
        assert str(parsed) == key and parsed.version == 4 and parsed.variant == uuid.RFC_4122


def test_endpoint_resolves_error_types_when_asked() -> None:
    calls: list[int] = []

    def errors() -> dict[str, Any]:
        calls.append(1)
        return {"404": Pet}

    endpoint = Endpoint("get", "/pets/{id}", errors=errors)
    assert calls == [] and endpoint.verb == "GET" and endpoint.idempotent
    assert endpoint.errors == {"404": Pet} and calls == [1]
    assert Endpoint("post", "/pets", errors={"400": Pet}).errors == {"400": Pet}
    assert not Endpoint("post", "/pets").idempotent


@pytest.mark.parametrize(
    ("base_url", "query", "sent"),
    [
        ("https://h", None, "https://h/p"),
        ("https://h", {"a": "1 2", "b": [1, 2]}, "https://h/p?a=1%202&b=1&b=2"),
    ],
)
def test_the_query_string_is_sent_as_serialized(base_url: str, query: Any, sent: str) -> None:
    seen: list[httpx.Request] = []
    client = SyncAPIClient(
        base_url=base_url,
        auth={},
        version_header=None,
        timeout=5.0,
        max_retries=0,
        default_headers=None,
        http_client=httpx.Client(transport=httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(204))),
    )
    client.request(Endpoint("get", "/p"), None, query=query)
    assert str(seen[0].url) == sent


def _client(**auth: Any) -> SyncAPIClient:
    return SyncAPIClient(
        base_url="https://h",
        auth=auth,
        version_header=None,
        timeout=5.0,
        max_retries=0,
        default_headers=None,
        http_client=httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200))),
    )


def test_a_requirement_is_applied_only_when_all_its_schemes_have_credentials() -> None:
    asked: list[str] = []

    def token() -> str:
        asked.append("token")
        return "t"

    client = _client(bearer=BearerAuth(token), key=ApiKeyAuth("api_key", "query", "k"))
    endpoint = Endpoint("get", "/p", security=(("bearer", "missing"), ("key",)))
    headers: dict[str, str] = {}
    params: list[tuple[str, str]] = []
    client._apply_auth(endpoint, headers, params)
    assert asked == [] and headers == {} and params == [("api_key", "k")]
    client._apply_auth(Endpoint("get", "/p", security=(("bearer", "key"),)), headers, params)
    assert asked == ["token"] and headers == {"Authorization": "Bearer t"}


def test_timeouts_are_normalized_once_per_value() -> None:
    client = _client()
    first = client._timeout(NOT_GIVEN)
    assert first == httpx.Timeout(5.0) and client._timeout(NOT_GIVEN) is first
    custom = httpx.Timeout(1.0, connect=2.0)
    assert client._timeout(custom) is custom
    assert client._timeout(None) == httpx.Timeout(None)


# -- what is retried, and empty success bodies (issue #15) --------------------------------------


def test_only_transient_transport_errors_are_retried() -> None:
    import ssl

    from generator.runtime._retry import is_transient

    request = httpx.Request("GET", "https://api.test/x")
    transient = [
        httpx.ConnectError("refused", request=request),
        httpx.ReadTimeout("slow", request=request),
        httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request),
        httpx.ReadError("reset", request=request),
    ]
    permanent = [
        httpx.UnsupportedProtocol("Request URL is missing an 'http://' or 'https://' protocol."),
        httpx.LocalProtocolError("Illegal header value"),
        httpx.TooManyRedirects("too many", request=request),
        httpx.DecodingError("bad gzip", request=request),
        httpx.ProxyError("proxy refused"),
    ]
    bad_certificate = httpx.ConnectError("certificate verify failed", request=request)
    bad_certificate.__context__ = ssl.SSLCertVerificationError(1, "certificate verify failed")
    assert all(is_transient(e) for e in transient)
    assert not any(is_transient(e) for e in [*permanent, bad_certificate])


def test_retry_after_within_the_cap_is_the_delay_beyond_it_none() -> None:
    from generator.runtime._retry import MAX_RETRY_AFTER, retry_delay

    def answer(**headers: str) -> httpx.Response:
        return httpx.Response(429, headers=headers)

    assert retry_delay(0, answer(**{"retry-after": "2"})) == 2.0
    assert retry_delay(0, answer(**{"retry-after": str(MAX_RETRY_AFTER)})) == MAX_RETRY_AFTER
    assert retry_delay(0, answer(**{"retry-after": str(MAX_RETRY_AFTER + 1)})) is None
    assert retry_delay(0, answer(**{"retry-after-ms": "3600000"})) is None
    backoff = retry_delay(0, answer(**{"retry-after": "soon"}))  # unreadable: backoff
    assert backoff is not None and 0.375 <= backoff <= 0.5


EMPTY_SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Empty", "version": "1"},
    "servers": [{"url": "https://api.test"}],
    "paths": {
        "/things/{id}": {
            "get": {
                "operationId": "things.get",
                "tags": ["things"],
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
                },
            },
            "put": {
                "operationId": "things.put",
                "tags": ["things"],
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                    "204": {"description": "unchanged"},
                },
            },
            "delete": {
                "operationId": "things.delete",
                "tags": ["things"],
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"204": {"description": "gone"}},
            },
        }
    },
    "components": {"schemas": {"Thing": {"type": "object", "properties": {"id": {"type": "string"}}}}},
}


def test_an_empty_success_body_is_none_only_where_the_operation_allows_it(generated: Any) -> None:
    from tests.test_features import sync_client

    pkg, _ = generated(EMPTY_SPEC)
    client = sync_client(pkg, lambda request: httpx.Response(200 if request.method == "GET" else 204))
    assert client.things.put("a") is None  # a declared 204: the method returns Optional[Thing]
    assert client.things.delete("a") is None  # no body declared at all
    with pytest.raises(pkg.APIResponseBodyError) as info:
        client.things.get("a")
    assert info.value.status_code == 200 and info.value.response.content == b""
    assert "empty body" in str(info.value) and "Thing" in str(info.value)
    assert isinstance(info.value, pkg.APIResponseValidationError)
