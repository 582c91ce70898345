"""The generated Polytomic SDK side by side with the official ``polytomic`` package (Fern,
pinned below), on the same real-socket contract servers, scenario by scenario.

Each scenario has its own ``ContractServer``; all of them are started once for the module.  The
official SDK runs first, every scenario in one subprocess of its own venv
(``tests/support/peers.py``, ``tests/support/peer_polytomic.py``); what each server saw is kept
and the server is reset.  Each test then runs the generated SDK on the same server with the same
scripted faults, asserts what it does, and asserts what the official SDK did, including where
that is a defect, so the test documents the difference and fails if either side changes.
The findings are tabulated in ``docs/official-sdk-comparison.md``.

Retry sleeps are recorded, not slept, on both sides (the official one's ``time.sleep`` is
replaced in its subprocess), so the delays are asserted and the file runs in seconds.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import json
import os
import subprocess
import time
import types
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.support.calls import TARGETS, package
from tests.support.contract import ContractServer, Fault, Seen
from tests.support.peers import peer_python

OFFICIAL = ("polytomic", "25.9.10")
SCRIPT = Path(__file__).parent / "support" / "peer_polytomic.py"
KEY = "sk-live-5e6b1f0c7a"
ID = "248df4b7-aa70-47b8-a036-33ac447e668d"
VERSION = "2025-09-18"
TIMEOUT = 0.2  # seconds; a scripted slow answer takes far longer
SLOW = Fault(delay=1.0)
FERN_BACKOFF = (0.9, 1.1)  # Fern's first backoff step: 1 s with +-10 % jitter


# -- scenarios --------------------------------------------------------------------------------


def _pages(seen: Seen, payload: Any) -> Any:
    """``model_sync.list`` over three pages of two syncs, chained by ``page_token`` p1, p2."""
    if seen.operation != "model_sync.list":
        return payload
    token = dict(parse_qsl(urlsplit(seen.target).query)).get("page_token")
    page = {None: 0, "p1": 1, "p2": 2}[token]
    item = payload["data"][0]
    payload["data"] = [{**item, "id": _sync_id(page, i)} for i in range(2)]
    payload["pagination"] = {"next_page_token": f"p{page + 1}" if page < 2 else None}
    return payload


def _sync_id(page: int, i: int) -> str:
    return str(uuid.UUID(int=10 * page + i))


def _newer_model(server: ContractServer) -> Fault:
    """A ``models.get`` answer from a newer server: unknown fields and an unknown enum value."""
    body = server.sample("models.get")
    body["data"]["added_next_year"] = {"nested": [1, 2]}
    body["job"]["status"] = "rebalancing"  # not one of WorkTaskStatus
    body["job"]["eta_seconds"] = 12
    body["top_level_extra"] = True
    return Fault(status=200, body=body, validate=False)


@dataclass(frozen=True)
class Scenario:
    faults: Callable[[ContractServer], list[Fault]] = lambda server: []  # scripted for each SDK
    respond: Callable[[Seen, Any], Any] | None = None


SCENARIOS: dict[str, Scenario] = {
    "idempotent_post": Scenario(lambda s: [Fault(status=503, apply=True)]),  # applied, then 503
    "retry_after_ms": Scenario(lambda s: [Fault(status=429, headers={"retry-after-ms": "150"})]),
    "explicit_null": Scenario(),
    "pagination": Scenario(respond=_pages),
    "forward_compat": Scenario(lambda s: [_newer_model(s)]),
    "version_header": Scenario(),
    "read_timeout": Scenario(lambda s: [SLOW]),
    "env_credentials": Scenario(),
    "not_found": Scenario(lambda s: [Fault(status=404)]),
}


# -- the bench: one server per scenario, the official SDK run once ------------------------------


@dataclass
class OfficialRun:
    """What the official SDK did in one scenario, and what its server saw."""

    result: Any
    raised: dict[str, Any] | None
    sleeps: list[float]
    seen: list[Seen]
    applied: list[Seen]
    problems: list[str]

    def headers(self, name: str) -> list[list[str]]:
        return [s.headers.get_list(name) for s in self.seen]


@dataclass
class Bench:
    servers: dict[str, ContractServer]
    urls: dict[str, str]
    runs: dict[str, OfficialRun] = field(default_factory=dict)
    unavailable: str = ""

    def ours(self, name: str) -> tuple[ContractServer, str]:
        """The scenario's server, reset and scripted for the generated SDK, and its URL."""
        server = self.servers[name]
        server.reset()
        server.script(*SCENARIOS[name].faults(server))
        return server, self.urls[name]

    def official(self, name: str) -> OfficialRun:
        if self.unavailable:
            pytest.skip(self.unavailable)
        return self.runs[name]


@pytest.fixture(scope="module")
def bench() -> Iterator[Bench]:
    spec = TARGETS["polytomic"].spec
    servers = {name: ContractServer(spec, respond=s.respond) for name, s in SCENARIOS.items()}
    with contextlib.ExitStack() as stack:
        bench = Bench(servers, {name: stack.enter_context(s.serve()) for name, s in servers.items()})
        try:
            python = peer_python(*OFFICIAL)
        except pytest.skip.Exception as exc:
            bench.unavailable = str(exc)
            yield bench
            return
        for name, server in servers.items():
            server.script(*SCENARIOS[name].faults(server))
        out = _run_official(python, bench.urls)
        assert out["version"] == OFFICIAL[1] and str(python.parents[1]) in out["file"]
        for name, server in servers.items():
            entry = out["scenarios"][name]
            bench.runs[name] = OfficialRun(
                entry["result"],
                entry["raised"],
                entry["sleeps"],
                list(server.seen),
                list(server.applied),
                list(server.problems),
            )
            assert server.pending == 0, f"{name}: the official SDK left scripted faults unused"
        yield bench


def _run_official(python: Path, urls: dict[str, str]) -> Any:
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLYTOMIC_")}
    ctx = {"key": KEY, "id": ID, "timeout": TIMEOUT, "scenarios": urls}
    done = subprocess.run(
        [str(python), "-I", str(SCRIPT)], input=json.dumps(ctx), capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, f"official scenarios failed:\n{done.stderr}"
    return json.loads(done.stdout)


# -- the generated SDK ----------------------------------------------------------------------------


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the generated runtime's retry sleeps instead of sleeping."""
    recorded: list[float] = []
    base = importlib.import_module(package("polytomic").__name__ + "._base_client")
    fake_time = types.SimpleNamespace(**{k: getattr(time, k) for k in dir(time) if not k.startswith("__")})
    fake_time.sleep = recorded.append
    monkeypatch.setattr(base, "time", fake_time)
    return recorded


@pytest.fixture
def pkg(monkeypatch: pytest.MonkeyPatch) -> Any:
    for name in ("POLYTOMIC_API_KEY", "POLYTOMIC_USERNAME", "POLYTOMIC_PASSWORD", "POLYTOMIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return package("polytomic")


def _ours(pkg: Any, base_url: str, **kwargs: Any) -> Any:
    kwargs.setdefault("api_key", KEY)
    return pkg.Polytomic(base_url=base_url, **kwargs)


def _done(server: ContractServer) -> None:
    """No contract problem, every fault used, and the API version on every request."""
    server.assert_clean()
    assert [s.headers.get_list("X-Polytomic-Version") for s in server.seen] == [[VERSION]] * len(server.seen)


def _create(client: Any) -> Any:
    return client.models.create(name="Users", connection_id=ID, configuration={"table": "users"})


UPDATE = {"configuration": {"table": "users"}, "connection_id": ID, "name": "Users"}


# -- the scenarios --------------------------------------------------------------------------------


def test_post_applied_then_503(bench: Bench, pkg: Any, sleeps: list[float]) -> None:
    server, url = bench.ours("idempotent_post")
    with _ours(pkg, url) as client:
        created = _create(client)
    keys = [s.headers.get("Idempotency-Key") for s in server.seen]
    assert len(keys) == 2 and keys[0] and keys[0] == keys[1]  # one key per logical call, reused
    assert [s.operation for s in server.applied] == ["models.create"]  # applied exactly once
    assert [s.replayed for s in server.seen] == [False, True]
    assert created.data.id == server.seen[1].response["data"]["id"]
    _done(server)

    official = bench.official("idempotent_post")
    assert official.raised is None
    assert "idempotency_key" in official.result["parameters"]  # a key only when the caller passes one
    assert official.headers("Idempotency-Key") == [[], []]  # retried without a key...
    assert [s.operation for s in official.applied] == ["models.create"] * 2  # ...so applied twice
    assert official.result["id"] == official.seen[1].response["data"]["id"]
    assert len(official.sleeps) == 1 and FERN_BACKOFF[0] <= official.sleeps[0] <= FERN_BACKOFF[1]


def test_retry_after_ms(bench: Bench, pkg: Any, sleeps: list[float]) -> None:
    server, url = bench.ours("retry_after_ms")
    with _ours(pkg, url) as client:
        client.models.get(ID)
    assert [s.status for s in server.seen] == [429, 200]
    assert sleeps == [0.15]  # honoured
    _done(server)

    official = bench.official("retry_after_ms")
    assert official.raised is None and [s.status for s in official.seen] == [429, 200]
    # Fern's _parse_retry_after compares the header's str with 0 (`retry_after_ms > 0`): the
    # TypeError is swallowed and the header ignored, so it backs off its default ~1 s instead.
    assert len(official.sleeps) == 1 and FERN_BACKOFF[0] <= official.sleeps[0] <= FERN_BACKOFF[1]


def test_explicit_null_and_omitted_fields(bench: Bench, pkg: Any) -> None:
    server, url = bench.ours("explicit_null")
    with _ours(pkg, url) as client:
        client.models.update(ID, labels=None, **UPDATE)
    body = server.seen[0].json()
    assert body["labels"] is None and "fields" not in body  # None is sent as null, NOT_GIVEN left out
    _done(server)
    # ``identifier`` is a non-nullable string: our signature does not accept None for it.
    params = inspect.signature(pkg.resources.models.ModelsResource.update, eval_str=True).parameters
    assert get_args(params["identifier"].annotation) == (str, pkg.NotGiven)
    assert type(None) in get_args(params["labels"].annotation)  # nullable in the document

    official = bench.official("explicit_null")
    body = official.seen[0].json()
    assert body["labels"] is None and "fields" not in body  # the same: OMIT is dropped, None kept
    # Every optional field is typed Optional, so ``identifier=None`` type-checks and goes out as
    # null; the server rejects it, and the text answer surfaces as the base ApiError.
    assert official.result["identifier_type"] == "identifier: Optional[str] = Ellipsis"
    assert official.seen[1].json()["identifier"] is None
    assert len(official.problems) == 1 and "identifier" in official.problems[0]
    assert official.result["identifier_none"]["type"] == "ApiError"
    assert official.result["identifier_none"]["status_code"] == 400


def test_pagination_walks_every_page(bench: Bench, pkg: Any) -> None:
    server, url = bench.ours("pagination")
    with _ours(pkg, url) as client:
        ids = [item.id for item in client.model_sync.list(limit=2)]
    assert ids == [_sync_id(page, i) for page in range(3) for i in range(2)]
    queries = [dict(parse_qsl(urlsplit(s.target).query)) for s in server.seen]
    assert queries == [{"limit": "2"}, {"limit": "2", "page_token": "p1"}, {"limit": "2", "page_token": "p2"}]
    _done(server)

    official = bench.official("pagination")
    assert official.result["type"] == "ListSyncResponseEnvelope"  # one page, the envelope
    assert official.result["ids"] == [_sync_id(0, 0), _sync_id(0, 1)]
    assert official.result["next_page_token"] == "p1"  # the caller must loop by hand
    assert official.result["iterates_to"] == ["tuple"]  # ``for x in page`` yields pydantic fields
    assert len(official.seen) == 1


def test_unknown_fields_and_enum_values(bench: Bench, pkg: Any) -> None:
    server, url = bench.ours("forward_compat")
    with _ours(pkg, url) as client:
        got = client.models.get(ID)
    assert got.job.status == "rebalancing"
    assert got.job.eta_seconds == 12 and got.data.model_extra["added_next_year"] == {"nested": [1, 2]}
    assert got.to_dict()["top_level_extra"] is True
    _done(server)

    official = bench.official("forward_compat")
    assert official.raised is None  # it parses too: Fern enums are Union[Literal[...], Any]
    assert official.result["job_status"] == "rebalancing"
    assert official.result["job_extra"] == 12
    assert official.result["data_extra"] == {"nested": [1, 2]}
    assert official.result["top_extra"] is True
    assert official.result["name"] == official.seen[0].response["data"]["name"]


def test_version_header_default_and_per_request(bench: Bench, pkg: Any) -> None:
    server, url = bench.ours("version_header")
    with _ours(pkg, url) as client:
        assert client.api_version == VERSION
        client.models.get(ID)
        client.models.get(ID, extra_headers={"X-Polytomic-Version": "2024-02-08"})
        client.models.get(ID, extra_headers={"x-polytomic-version": "2024-02-08"})
    assert [s.headers.get_list("X-Polytomic-Version") for s in server.seen] == [
        [VERSION],
        ["2024-02-08"],
        ["2024-02-08"],
    ]
    server.assert_clean()

    official = bench.official("version_header")
    assert official.result["version_attr"] == VERSION
    for name, run in bench.runs.items():  # by default, on every request of every scenario
        if name != "version_header":
            assert run.headers("X-Polytomic-Version") == [[VERSION]] * len(run.seen), name
    # The default and an override spelled like the SDK's own header work; an override in
    # another case is merged case-sensitively, so both values are sent and the server refuses.
    assert official.headers("X-Polytomic-Version") == [[VERSION], ["2024-02-08"], [VERSION, "2024-02-08"]]
    assert official.result["outcomes"][:2] == ["ok", "ok"]
    assert official.result["outcomes"][2]["status_code"] == 400
    assert len(official.problems) == 1 and "sent 2 times" in official.problems[0]


def test_read_timeout_on_get(bench: Bench, pkg: Any, sleeps: list[float]) -> None:
    server, url = bench.ours("read_timeout")
    with _ours(pkg, url, timeout=TIMEOUT) as client:
        assert client.models.get(ID).data is not None  # the slow answer is retried
        assert [s.headers.get("X-Retry-Count") for s in server.seen] == ["0", "1"]
        assert len(sleeps) == 1 and 0.375 <= sleeps[0] <= 0.5  # the first backoff step
        server.script(SLOW, SLOW, SLOW)
        with pytest.raises(pkg.APITimeoutError):
            client.models.get(ID)  # until max_retries (2) is spent
    assert len(server.seen) == 5 and len(sleeps) == 3
    _done(server)

    official = bench.official("read_timeout")
    # Fern retries only httpx.ConnectError and RemoteProtocolError: a timeout escapes at once,
    # as the raw httpx exception.
    assert official.raised is not None
    assert (official.raised["module"], official.raised["type"]) == ("httpx", "ReadTimeout")
    assert len(official.seen) == 1 and official.sleeps == []


def test_credentials_from_the_environment(bench: Bench, pkg: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    server, url = bench.ours("env_credentials")
    monkeypatch.setenv("POLYTOMIC_API_KEY", KEY)
    with pkg.Polytomic(base_url=url) as client:
        client.models.get(ID)
    assert server.seen[0].headers.get_list("Authorization") == [f"Bearer {KEY}"]
    _done(server)

    official = bench.official("env_credentials")
    assert official.headers("Authorization") == [[]]  # POLYTOMIC_API_KEY is not read
    assert len(official.problems) == 1 and "SecurityNotFound" in official.problems[0]
    assert official.raised is not None and official.raised["type"] == "ApiError"
    assert official.raised["status_code"] == 400


def test_not_found_error(bench: Bench, pkg: Any) -> None:
    server, url = bench.ours("not_found")
    with _ours(pkg, url) as client, pytest.raises(pkg.NotFoundError) as info:
        client.models.get(ID)
    sent = server.seen[0].response
    assert isinstance(info.value, pkg.APIStatusError) and info.value.status_code == 404
    assert isinstance(info.value.body, pkg.types.ApiError) and info.value.body.to_dict() == sent
    assert info.value.request.url.path == f"/api/models/{ID}" and info.value.response.status_code == 404
    assert str(info.value) == f"Error code: 404 - {sent['message']}"
    assert len(server.seen) == 1
    _done(server)

    official = bench.official("not_found")
    raised = official.raised
    assert raised is not None and (raised["module"], raised["type"]) == (
        "polytomic.errors.not_found_error",
        "NotFoundError",
    )
    assert raised["mro"][:3] == ["NotFoundError", "ApiError", "Exception"]
    assert raised["status_code"] == 404 and raised["body_type"] == "ApiError"
    assert raised["body"] == official.seen[0].response
    assert raised["message"].startswith("headers: {")  # str() is the raw headers, status and body
    assert not raised["has_request"]
    assert len(official.seen) == 1
