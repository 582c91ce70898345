"""Fault injection: the generated Polytomic SDK, sync and async, over real sockets against the
contract server (``tests/support/contract.py``): rate limits with ``Retry-After``, 5xx bursts,
dropped connections, slow answers, idempotent POSTs applied exactly once, forward-compatible
parsing, error bodies, and credentials kept out of reprs, messages and logs.

The retry sleep of the generated runtime is replaced by a recorder, so the delays the SDK chose
are asserted and the file runs in a few seconds.
"""

from __future__ import annotations

import asyncio
import email.utils
import importlib
import logging
import time
import types
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.support.calls import TARGETS, client_class, package
from tests.support.contract import ContractServer, Fault

POLY = "polytomic"
OLD = "polytomic-2024-02-08"  # declares no Idempotency-Key: its POSTs must never be retried
KEY = "sk-live-5e6b1f0c7a"
ID = "248df4b7-aa70-47b8-a036-33ac447e668d"


class Sdk:
    """One generated package against one running contract server, sync or async."""

    def __init__(self, target: str, server: ContractServer, base_url: str, asynchronous: bool) -> None:
        self.target = target
        self.server = server
        self.base_url = base_url
        self.asynchronous = asynchronous
        self.pkg = package(target)

    def run(self, fn: Callable[[Any], Any], **client_kwargs: Any) -> Any:
        """``fn(client)`` on a fresh client; awaited on the async client."""
        client_kwargs.setdefault("api_key", KEY)
        cls = client_class(self.target, asynchronous=self.asynchronous)
        if not self.asynchronous:
            with cls(base_url=self.base_url, **client_kwargs) as client:
                return fn(client)

        async def main() -> Any:
            async with cls(base_url=self.base_url, **client_kwargs) as client:
                return await fn(client)

        return asyncio.run(main())

    def attempts(self, header: str = "X-Retry-Count") -> list[str | None]:
        return [s.headers.get(header) for s in self.server.seen]


PROXY_CALL = {"method": "GET", "path": "/v1/ping"}


def _create_model(client: Any, **extra: Any) -> Any:
    return client.models.create(name="Users", connection_id=ID, configuration={"table": "users"}, **extra)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the runtime's retry sleeps instead of sleeping (both packages, sync and async)."""
    recorded: list[float] = []

    async def fake_async_sleep(seconds: float) -> None:
        recorded.append(seconds)

    for target in TARGETS:
        base = importlib.import_module(package(target).__name__ + "._base_client")
        fake_time = types.SimpleNamespace(**{k: getattr(time, k) for k in dir(time) if not k.startswith("__")})
        fake_time.sleep = recorded.append
        monkeypatch.setattr(base, "time", fake_time)
        monkeypatch.setattr(base, "_async_sleep", fake_async_sleep)  # anyio.sleep, imported on first use
    return recorded


def _sdk(target: str, request: pytest.FixtureRequest) -> Iterator[Sdk]:
    server = ContractServer(TARGETS[target].spec)
    with server.serve() as base_url:
        yield Sdk(target, server, base_url, asynchronous=request.param == "async")
    server.assert_clean()


@pytest.fixture(params=["sync", "async"])
def sdk(request: pytest.FixtureRequest, sleeps: list[float]) -> Iterator[Sdk]:
    yield from _sdk(POLY, request)


@pytest.fixture(params=["sync", "async"])
def old_sdk(request: pytest.FixtureRequest, sleeps: list[float]) -> Iterator[Sdk]:
    yield from _sdk(OLD, request)


# -- Retry-After ------------------------------------------------------------------------------


def test_429_with_retry_after_seconds_then_success(sdk: Sdk, sleeps: list[float]) -> None:
    sdk.server.script(Fault(status=429, headers={"Retry-After": "1"}))
    result = sdk.run(lambda c: c.models.get(ID))
    assert result.data.id == sdk.server.seen[-1].response["data"]["id"]
    assert sdk.attempts() == ["0", "1"]
    assert sleeps == [1.0]


def test_429_with_retry_after_http_date(sdk: Sdk, sleeps: list[float]) -> None:
    when = email.utils.formatdate(time.time() + 3, usegmt=True)
    sdk.server.script(Fault(status=429, headers={"Retry-After": when}))
    sdk.run(lambda c: c.models.get(ID))
    assert sdk.attempts() == ["0", "1"]
    assert len(sleeps) == 1 and 1.0 < sleeps[0] <= 3.0  # the date has whole seconds


def test_retry_after_ms_wins_over_retry_after(sdk: Sdk, sleeps: list[float]) -> None:
    sdk.server.script(Fault(status=429, headers={"retry-after-ms": "1500", "Retry-After": "9"}))
    sdk.run(lambda c: c.models.get(ID))
    assert sleeps == [1.5]


@pytest.mark.parametrize(
    ("status", "headers", "delay"),
    [(429, {"Retry-After": "3600"}, 3600.0), (503, {"retry-after-ms": "90000"}, 90.0)],
)
def test_retry_after_beyond_the_cap_raises_at_once_with_the_delay(
    sdk: Sdk, sleeps: list[float], status: int, headers: dict[str, str], delay: float
) -> None:
    sdk.server.script(Fault(status=status, headers=headers))
    with pytest.raises(sdk.pkg.APIStatusError) as info:
        sdk.run(lambda c: c.models.get(ID))
    assert info.value.status_code == status and info.value.retry_after == delay
    assert f"retry after {delay:g} s" in str(info.value)
    assert sdk.attempts() == ["0"] and sleeps == []  # not retried sooner than the server asked


# -- 5xx bursts, dropped connections, timeouts ----------------------------------------------------


def test_503_burst_longer_than_max_retries(sdk: Sdk, sleeps: list[float]) -> None:
    pkg = sdk.pkg
    sdk.server.script(*[Fault(status=503)] * 3)
    with pytest.raises(pkg.InternalServerError) as info:
        sdk.run(lambda c: c.models.get(ID))
    assert info.value.status_code == 503 and info.value.retry_after is None
    assert sdk.attempts() == ["0", "1", "2"]  # max_retries (2) + 1 attempts, the count sent each time
    assert len(sleeps) == 2 and 0.375 <= sleeps[0] <= 0.5 and 0.75 <= sleeps[1] <= 1.0  # backoff


def test_server_retry_hint_wins(sdk: Sdk) -> None:
    sdk.server.script(
        Fault(status=400, headers={"x-should-retry": "true"}), Fault(status=503, headers={"x-should-retry": "false"})
    )
    with pytest.raises(sdk.pkg.InternalServerError):
        sdk.run(lambda c: c.models.get(ID))
    assert sdk.attempts() == ["0", "1"]


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504])
def test_retryable_statuses_are_retried(sdk: Sdk, status: int) -> None:
    sdk.server.script(Fault(status=status))
    assert sdk.run(lambda c: c.models.get(ID)).data is not None
    assert sdk.attempts() == ["0", "1"]


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_errors_are_not_retried(sdk: Sdk, status: int) -> None:
    sdk.server.script(Fault(status=status))
    with pytest.raises(sdk.pkg.APIStatusError) as info:
        sdk.run(lambda c: c.models.get(ID))
    assert info.value.status_code == status
    assert sdk.attempts() == ["0"]


def test_dropped_connection_is_retried_for_get(sdk: Sdk) -> None:
    sdk.server.script(Fault(drop=True), Fault(status=200, truncate=True))
    result = sdk.run(lambda c: c.models.get(ID))
    assert result.data is not None
    assert sdk.attempts() == ["0", "1", "2"]


def test_dropped_connections_exhaust_into_api_connection_error(sdk: Sdk) -> None:
    pkg = sdk.pkg
    sdk.server.script(*[Fault(drop=True)] * 3)
    with pytest.raises(pkg.APIConnectionError) as info:
        sdk.run(lambda c: c.models.get(ID))
    assert not isinstance(info.value, pkg.APITimeoutError)
    assert info.value.request.url.path == f"/api/models/{ID}"
    assert sdk.attempts() == ["0", "1", "2"]


def test_slow_response_past_the_timeout(sdk: Sdk) -> None:
    pkg = sdk.pkg
    sdk.server.script(Fault(delay=3.0))
    started = time.monotonic()
    with pytest.raises(pkg.APITimeoutError):
        sdk.run(lambda c: c.models.get(ID, timeout=0.2, max_retries=0))
    assert time.monotonic() - started < 2.0
    assert len(sdk.server.seen) == 1


def test_slow_response_is_retried_within_the_client_timeout(sdk: Sdk) -> None:
    sdk.server.script(Fault(delay=3.0))
    result = sdk.run(lambda c: c.models.get(ID), timeout=0.3)
    assert result.data is not None
    assert sdk.attempts() == ["0", "1"]


# -- idempotency ----------------------------------------------------------------------------------


def test_post_without_idempotency_key_is_never_retried(old_sdk: Sdk, sleeps: list[float]) -> None:
    assert "IdempotencyKey" not in (old_sdk.server.app.spec / "components" / "parameters").str_keys()
    old_sdk.server.script(Fault(status=503))
    with pytest.raises(old_sdk.pkg.InternalServerError):
        old_sdk.run(_create_model)
    assert len(old_sdk.server.seen) == 1 and sleeps == []
    old_sdk.server.script(Fault(drop=True))
    with pytest.raises(old_sdk.pkg.APIConnectionError):
        old_sdk.run(_create_model)
    assert len(old_sdk.server.seen) == 2 and sleeps == []


def test_post_with_idempotency_key_is_applied_exactly_once(sdk: Sdk) -> None:
    # The server applies the first attempt and drops the connection, answers the second with a
    # 503 after looking the key up, and replays the stored answer to the third.
    sdk.server.script(Fault(drop=True, apply=True), Fault(status=503, apply=True))
    result = sdk.run(_create_model)
    keys = sdk.attempts("Idempotency-Key")
    assert len(keys) == 3 and keys[0] and len(set(keys)) == 1
    assert sdk.attempts() == ["0", "1", "2"]
    assert [s.operation for s in sdk.server.applied] == ["models.create"]
    assert [s.replayed for s in sdk.server.seen] == [False, True, True]
    assert result.data.id == sdk.server.seen[0].response["data"]["id"]
    sdk.run(_create_model)  # a second logical call: a new key, applied again
    assert sdk.attempts("Idempotency-Key")[3] != keys[0]
    assert len(sdk.server.applied) == 2


def test_timed_out_post_is_retried_with_its_key_and_applied_once(sdk: Sdk) -> None:
    sdk.server.script(Fault(delay=3.0))  # applied, but answered after the client gave up
    result = sdk.run(_create_model, timeout=0.3)
    assert [s.replayed for s in sdk.server.seen] == [False, True]
    assert len(set(sdk.attempts("Idempotency-Key"))) == 1 and len(sdk.server.applied) == 1
    assert result.data.id == sdk.server.seen[1].response["data"]["id"]


def test_caller_supplied_idempotency_key_is_kept(sdk: Sdk) -> None:
    sdk.server.script(Fault(status=500))
    sdk.run(lambda c: _create_model(c, extra_headers={"Idempotency-Key": "caller-key-1"}))
    assert sdk.attempts("Idempotency-Key") == ["caller-key-1", "caller-key-1"]
    assert len(sdk.server.applied) == 1


def test_caller_supplied_idempotency_key_in_any_case_replaces_the_generated_one(sdk: Sdk) -> None:
    sdk.server.script(Fault(status=503))
    sdk.run(lambda c: _create_model(c, extra_headers={"idempotency-key": "caller-key-2"}))
    assert [s.headers.get_list("Idempotency-Key") for s in sdk.server.seen] == [["caller-key-2"]] * 2
    assert len(sdk.server.applied) == 1


def test_idempotency_key_none_opts_out_and_the_post_is_sent_once(sdk: Sdk, sleeps: list[float]) -> None:
    sdk.server.script(Fault(status=503))
    with pytest.raises(sdk.pkg.InternalServerError):
        sdk.run(lambda c: _create_model(c, extra_headers={"Idempotency-Key": None}))
    assert [s.headers.get("Idempotency-Key") for s in sdk.server.seen] == [None]
    assert sleeps == []


# -- per-request headers --------------------------------------------------------------------------


def test_per_request_headers_replace_defaults_whatever_their_case(sdk: Sdk) -> None:
    sdk.run(
        lambda c: c.models.get(ID, extra_headers={"x-polytomic-version": "2024-02-08", "authorization": "Bearer other"})
    )
    headers = sdk.server.seen[0].headers
    assert headers.get_list("X-Polytomic-Version") == ["2024-02-08"]
    assert headers.get_list("Authorization") == ["Bearer other"]


def test_per_request_none_removes_a_default_header_whatever_its_case(sdk: Sdk) -> None:
    sdk.run(lambda c: c.models.get(ID, extra_headers={"x-polytomic-version": None}))
    assert "X-Polytomic-Version" not in sdk.server.seen[0].headers


def test_version_header_overridable_per_client(sdk: Sdk) -> None:
    sdk.run(lambda c: c.models.get(ID), api_version="2024-02-08")
    sdk.run(lambda c: c.models.get(ID), api_version=None)
    assert sdk.server.seen[0].headers.get_list("X-Polytomic-Version") == ["2024-02-08"]
    assert "X-Polytomic-Version" not in sdk.server.seen[1].headers


# -- max_retries ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("client_retries", "call_retries", "attempts"),
    [(0, None, 1), (4, None, 5), (None, 1, 2), (5, 0, 1), (0, 3, 4)],
)
def test_max_retries_per_client_and_per_call(
    sdk: Sdk, client_retries: int | None, call_retries: int | None, attempts: int
) -> None:
    # Exactly as many 503s as attempts are expected: one attempt more would succeed, one fewer
    # would leave a scripted fault unused (the fixture's assert_clean fails).
    sdk.server.script(*[Fault(status=503)] * attempts)
    client_kwargs = {} if client_retries is None else {"max_retries": client_retries}
    call_kwargs = {} if call_retries is None else {"max_retries": call_retries}
    with pytest.raises(sdk.pkg.InternalServerError):
        sdk.run(lambda c: c.models.get(ID, **call_kwargs), **client_kwargs)
    assert sdk.attempts() == [str(n) for n in range(attempts)]


# -- forward compatibility and errors --------------------------------------------------------------


def test_unknown_fields_and_enum_values_parse(sdk: Sdk) -> None:
    body = sdk.server.sample("models.get")
    body["data"]["added_next_year"] = {"nested": [1, 2]}
    body["job"]["status"] = "rebalancing"  # not one of WorkTaskStatus
    body["job"]["eta_seconds"] = 12
    body["top_level_extra"] = True
    sdk.server.script(Fault(status=200, body=body, validate=False))
    result = sdk.run(lambda c: c.models.get(ID))
    assert result.job.status == "rebalancing" and isinstance(result.job.status, str)
    assert result.data.model_extra["added_next_year"] == {"nested": [1, 2]}
    assert result.job.eta_seconds == 12
    assert result.to_dict()["top_level_extra"] is True
    assert result.data.name == body["data"]["name"]


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, "BadRequestError"),
        (401, "AuthenticationError"),
        (403, "PermissionDeniedError"),
        (404, "NotFoundError"),
        (429, "RateLimitError"),
        (500, "InternalServerError"),
        (502, "InternalServerError"),
    ],
)
def test_error_bodies_parse_into_the_error_model(sdk: Sdk, status: int, error: str) -> None:
    """``connections.execute_proxy`` declares each of these statuses, with an ``ApiError`` body
    (synthesized by the server and validated against the document)."""
    sdk.server.script(Fault(status=status, headers={"X-Request-Id": "req-7"}))
    with pytest.raises(getattr(sdk.pkg, error)) as info:
        sdk.run(lambda c: c.connections.execute_proxy(ID, request=PROXY_CALL, max_retries=0))
    exc = info.value
    sent = sdk.server.seen[-1].response
    assert isinstance(exc.body, sdk.pkg.types.ApiError)
    assert exc.body.to_dict() == sent
    assert exc.status_code == status == exc.response.status_code
    assert exc.headers["x-request-id"] == "req-7"
    assert exc.request.method == "POST" and exc.request.url.path == f"/api/connections/{ID}/proxy"
    assert str(exc) == f"Error code: {status} - {sent['message']}"


def test_response_off_schema_names_the_field(sdk: Sdk) -> None:
    body = sdk.server.sample("models.get")
    body["data"]["version"] = "seven"  # an integer in the document
    sdk.server.script(Fault(status=200, body=body, validate=False))
    with pytest.raises(sdk.pkg.APIResponseValidationError) as info:
        sdk.run(lambda c: c.models.get(ID))
    assert "data.version" in str(info.value) and info.value.status_code == 200
    assert info.value.body == body
    assert sdk.attempts() == ["0"]


def test_raw_response_gives_status_headers_and_the_parsed_model(sdk: Sdk) -> None:
    sdk.server.script(Fault(status=503), Fault(headers={"X-Request-Id": "req-9"}))
    raw = sdk.run(lambda c: c.models.with_raw_response.get(ID))
    assert raw.status_code == 200 and raw.headers["x-request-id"] == "req-9"
    assert raw.parse().to_dict() == sdk.server.seen[-1].response
    assert sdk.attempts() == ["0", "1"]


def test_undeclared_error_status_keeps_the_raw_body(sdk: Sdk) -> None:
    sdk.server.script(Fault(status=418, body={"message": "short and stout", "teapot": True}))
    with pytest.raises(sdk.pkg.APIStatusError) as info:
        sdk.run(lambda c: c.models.get(ID))
    assert type(info.value) is sdk.pkg.APIStatusError
    assert info.value.body == {"message": "short and stout", "teapot": True}


# -- credentials ----------------------------------------------------------------------------------


def test_credentials_stay_out_of_repr_errors_and_logs(sdk: Sdk, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="polytomic")
    seen_clients: list[str] = []
    messages: list[str] = []

    def calls(c: Any) -> Any:
        seen_clients.append(repr(c))
        return c.models.get(ID)

    sdk.server.script(
        Fault(status=503), Fault(), Fault(status=401), Fault(drop=True), Fault(drop=True), Fault(drop=True)
    )
    sdk.run(calls)  # 503 then success: logged twice
    for _ in range(2):  # a 401, then dropped connections until exhausted
        try:
            sdk.run(calls)
        except sdk.pkg.APIError as exc:
            messages.extend([str(exc), repr(exc), repr(exc.request), repr(exc.__cause__)])
    assert len(messages) == 8
    assert sdk.server.seen[0].headers["Authorization"] == f"Bearer {KEY}"  # it was sent
    assert "HTTP request GET" in caplog.text and "<redacted>" in caplog.text
    for text in [*seen_clients, *messages, caplog.text]:
        assert KEY not in text


@pytest.mark.parametrize(
    ("credentials", "secret"),
    [
        ({"api_key": KEY}, KEY),
        ({"api_key": lambda: KEY}, KEY),  # a token from a callable: known only once sent
        ({"api_key": "", "username": "deploy-9f8e7d6c5b4a", "password": ""}, "deploy-9f8e7d6c5b4a"),
    ],
    ids=["bearer", "bearer-callable", "basic-username"],
)
def test_a_credential_echoed_by_the_server_is_redacted_from_the_message(
    sdk: Sdk, credentials: dict[str, Any], secret: str
) -> None:
    sdk.server.script(Fault(status=401, body={"message": f"key {secret} is not valid here"}))
    with pytest.raises(sdk.pkg.AuthenticationError) as info:
        sdk.run(lambda c: c.connections.execute_proxy(ID, request=PROXY_CALL), **credentials)
    assert str(info.value) == "Error code: 401 - key <redacted> is not valid here"
    assert secret not in repr(info.value)
    assert info.value.body.message == f"key {secret} is not valid here"  # the data stays as sent


def test_logging_is_off_by_default(sdk: Sdk, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    sdk.server.script(Fault(status=503))
    sdk.run(lambda c: c.models.get(ID))
    assert [r for r in caplog.records if r.name.startswith("polytomic")] == []


def test_basic_auth_credentials_stay_out_of_logs(sdk: Sdk, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="polytomic")
    deployment_key = "deploy-9f8e7d6c5b4a"
    client_repr: list[str] = []

    def get(c: Any) -> Any:
        client_repr.append(repr(c))
        return c.models.get(ID)

    sdk.run(get, api_key="", username=deployment_key, password="")
    assert sdk.server.seen[0].headers["Authorization"].startswith("Basic ")
    assert "HTTP request GET" in caplog.text
    assert deployment_key not in caplog.text and deployment_key not in client_repr[0]
