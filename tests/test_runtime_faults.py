"""The runtime under faults the contract server acts out (issue #15, runtime part), sync and
async, over real sockets: the pager follows every cursor and nothing else (no item lost or
repeated, a repeating cursor is an error), a success body that cannot be the declared model is a
typed error, only transient transport failures are retried, and every error says what happened.
"""

from __future__ import annotations

import asyncio
import copy
import socket
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests import test_faults
from tests.support.contract import Fault
from tests.test_faults import ID, Sdk

# The fixtures of test_faults.py: a fresh contract server and SDK, sync and async, and the
# retry sleeps recorded instead of slept.
sdk = test_faults.sdk
sleeps = test_faults.sleeps

# -- pagination -----------------------------------------------------------------------------


def _pages(sdk: Sdk, items: list[list[str]], tokens: list[str | None]) -> list[Fault]:
    """One schema-valid ``model_sync.list`` answer per page (the server validates each)."""
    sample = sdk.server.sample("model_sync.list")
    faults = []
    for ids, token in zip(items, tokens, strict=True):
        page = copy.deepcopy(sample)
        page["data"] = [{**sample["data"][0], "id": i} for i in ids]
        page["pagination"] = {**sample.get("pagination", {}), "next_page_token": token}
        faults.append(Fault(status=200, body=page))
    return faults


def _walk(sdk: Sdk, out: list[str], **kwargs: Any) -> None:
    """Every item of ``model_sync.list``, appended to ``out`` as it arrives."""
    if sdk.asynchronous:

        async def walk(c: Any) -> None:
            async for sync in c.model_sync.list(**kwargs):
                out.append(sync.id)

        sdk.run(walk)
    else:
        sdk.run(lambda c: out.extend(s.id for s in c.model_sync.list(**kwargs)))


def _cursors(sdk: Sdk) -> list[str | None]:
    return [(parse_qs(urlsplit(s.target).query).get("page_token") or [None])[0] for s in sdk.server.seen]


def test_pager_follows_the_cursor_through_empty_pages(sdk: Sdk) -> None:
    items = [["a1", "a2"], [], ["b1"], [], [], ["c1", "c2", "c3"], ["d1"]]
    tokens: list[str | None] = ["t1", "t2", "t3", "t4", "t5", "t6", None]
    sdk.server.script(*_pages(sdk, items, tokens))
    got: list[str] = []
    _walk(sdk, got, limit=3)
    assert got == [i for page in items for i in page]  # none lost, none twice, in order
    assert _cursors(sdk) == [None, *tokens[:-1]]


def test_pager_stops_on_an_empty_cursor(sdk: Sdk) -> None:
    sdk.server.script(*_pages(sdk, [["a"], ["b"]], ["t1", ""]))
    got: list[str] = []
    _walk(sdk, got)
    assert got == ["a", "b"] and len(sdk.server.seen) == 2


@pytest.mark.parametrize("tokens", [["t1", "t1"], ["t1", "t2", "t1"], ["t1", "t2", "t2"]])
def test_a_repeated_cursor_raises_after_every_page_fetched_once(sdk: Sdk, tokens: list[str]) -> None:
    items = [[f"i{n}"] if n % 2 == 0 else [] for n in range(len(tokens))]
    sdk.server.script(*_pages(sdk, items, list(tokens)))
    got: list[str] = []
    with pytest.raises(sdk.pkg.PaginationLoopError) as info:
        _walk(sdk, got)
    assert got == [i for page in items for i in page]
    assert len(sdk.server.seen) == len(tokens)  # no page fetched twice
    error = info.value
    assert isinstance(error, sdk.pkg.APIResponseValidationError) and isinstance(error, sdk.pkg.APIError)
    assert error.cursor == tokens[-1] and repr(tokens[-1]) in str(error)
    assert error.status_code == 200 and error.response.json()["pagination"]["next_page_token"] == tokens[-1]
    assert error.request.url.params.get("page_token") == tokens[-2]  # the page that repeated it
    assert error.body.pagination.next_page_token == tokens[-1]


def test_pages_are_retried_like_any_call(sdk: Sdk) -> None:
    """A fault on a later page is retried within that page: the walk neither restarts nor skips."""
    pages = _pages(sdk, [["a"], ["b"], ["c"]], ["t1", "t2", None])
    sdk.server.script(pages[0], Fault(status=503), pages[1], Fault(drop=True), pages[2])
    got: list[str] = []
    _walk(sdk, got)
    assert got == ["a", "b", "c"]
    assert _cursors(sdk) == [None, "t1", "t1", "t2", "t2"]


# -- success bodies that cannot be the declared model ---------------------------------------------


@pytest.mark.parametrize(
    ("raw", "headers", "says"),
    [
        (b"", {}, "empty body"),
        (b"<html>gateway</html>", {"Content-Type": "text/html"}, "not JSON (text/html)"),
        (b'{"data": {"id": ', {}, "not JSON"),
    ],
    ids=["empty", "html", "cut-json"],
)
def test_a_success_body_that_is_not_the_declared_model_is_a_typed_error(
    sdk: Sdk, raw: bytes, headers: dict[str, str], says: str
) -> None:
    sdk.server.script(Fault(status=200, raw=raw, headers=headers))
    with pytest.raises(sdk.pkg.APIResponseBodyError) as info:
        sdk.run(lambda c: c.models.get(ID))
    error = info.value
    assert isinstance(error, sdk.pkg.APIResponseValidationError)
    assert says in str(error) and "200" in str(error)
    assert error.status_code == 200 and error.response.content == raw
    assert error.request.url.path == f"/api/models/{ID}"
    assert error.body == raw.decode()
    assert sdk.attempts() == ["0"]


def test_an_operation_without_a_body_returns_none(sdk: Sdk) -> None:
    assert sdk.run(lambda c: c.bulk_sync.delete(ID)) is None  # declares 204, no content
    assert sdk.server.seen[0].status == 204


def test_raw_response_parse_raises_the_same_typed_error(sdk: Sdk) -> None:
    sdk.server.script(Fault(status=200, raw=b""))
    raw = sdk.run(lambda c: c.models.with_raw_response.get(ID))
    assert raw.status_code == 200
    with pytest.raises(sdk.pkg.APIResponseBodyError):
        raw.parse()


# -- transport errors: which are retried, and what the error says ---------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_base_url_without_a_scheme_is_not_retried_and_says_why(sdk: Sdk, sleeps: list[float]) -> None:
    sdk.base_url = sdk.base_url.split("://", 1)[1]  # 127.0.0.1:PORT/...
    with pytest.raises(sdk.pkg.APIConnectionError) as info:
        sdk.run(lambda c: c.models.get(ID))
    message = str(info.value)
    assert "UnsupportedProtocol" in message and "'http://' or 'https://'" in message
    assert type(info.value.__cause__).__name__ == "UnsupportedProtocol"
    assert sleeps == [] and sdk.server.seen == []


def test_a_header_value_httpx_refuses_is_not_retried(sdk: Sdk, sleeps: list[float]) -> None:
    with pytest.raises(sdk.pkg.APIConnectionError) as info:
        sdk.run(lambda c: c.models.get(ID, extra_headers={"X-Note": "two\r\nlines"}))
    assert "LocalProtocolError" in str(info.value)
    assert sleeps == [] and sdk.server.seen == []


def test_a_refused_connection_is_retried_then_names_its_cause(sdk: Sdk, sleeps: list[float]) -> None:
    sdk.base_url = f"http://127.0.0.1:{_closed_port()}"
    with pytest.raises(sdk.pkg.APIConnectionError) as info:
        sdk.run(lambda c: c.models.get(ID))
    message = str(info.value)
    assert "ConnectError" in message and "after 3 attempts" in message
    assert f"GET {sdk.base_url}/api/models/{ID}" in message
    assert len(sleeps) == 2


def test_a_dropped_connection_names_its_cause(sdk: Sdk) -> None:
    sdk.server.script(*[Fault(drop=True)] * 3)
    with pytest.raises(sdk.pkg.APIConnectionError) as info:
        sdk.run(lambda c: c.models.get(ID))
    assert "RemoteProtocolError" in str(info.value) and "after 3 attempts" in str(info.value)
    assert str(info.value) != "Connection error."


def test_a_timeout_names_its_cause(sdk: Sdk) -> None:
    sdk.server.script(Fault(delay=3.0))
    with pytest.raises(sdk.pkg.APITimeoutError) as info:
        sdk.run(lambda c: c.models.get(ID, timeout=0.2, max_retries=0))
    assert "ReadTimeout" in str(info.value) and str(info.value).startswith("Request timed out")


def test_many_concurrent_calls_on_one_client(sdk: Sdk) -> None:
    """More calls at once than httpx keeps connections alive by default (20): every call is
    answered, none retried (async: one event loop; sync: one client shared by threads)."""
    if sdk.asynchronous:

        async def many(c: Any) -> list[Any]:
            return list(await asyncio.gather(*(c.models.get(ID) for _ in range(60))))

    else:

        def many(c: Any) -> list[Any]:
            with ThreadPoolExecutor(max_workers=30) as pool:
                return list(pool.map(lambda _: c.models.get(ID), range(60)))

    results = sdk.run(many)
    assert len(results) == 60 and all(r.data is not None for r in results)
    assert set(sdk.attempts()) == {"0"}
