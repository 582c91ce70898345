"""Client-level behaviour of the generated Polytomic SDK: version pinning (per client, per
copy, per request), base URL, timeouts, credentials from the environment or a callable."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.test_polytomic_client import _package

SECRET = "sk-very-secret-0123456789"


@pytest.fixture
def pkg() -> Any:
    return _package("polytomic")


class Recorder:
    def __init__(self) -> None:
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        return httpx.Response(200, json={"data": []})

    def client(self, pkg: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("api_key", SECRET)
        return pkg.Polytomic(http_client=httpx.Client(transport=httpx.MockTransport(self)), **kwargs)


def test_version_header_is_pinned_and_overridable(pkg: Any) -> None:
    rec = Recorder()
    client = rec.client(pkg)
    assert pkg.API_VERSION == "2025-09-18" == client.api_version
    client.models.list()
    client.with_options(api_version="2024-02-08").models.list()
    client.models.list(extra_headers={"X-Polytomic-Version": "2099-01-01"})
    client.with_options(api_version=None).models.list()
    rec.client(pkg, api_version="2024-02-08").models.list()
    sent = [r.headers.get("X-Polytomic-Version") for r in rec.seen]
    assert sent == ["2025-09-18", "2024-02-08", "2099-01-01", None, "2024-02-08"]
    assert client.api_version == "2025-09-18"  # with_options copies; the original is unchanged


def test_with_options_shares_the_connection_pool_and_rebinds_resources(pkg: Any) -> None:
    rec = Recorder()
    client = rec.client(pkg)
    models = client.models  # cached resource of the original client
    copy = client.with_options(base_url="https://eu.example.test/", max_retries=0, timeout=5.0)
    assert copy._client is client._client
    assert copy.models is not models and copy.models._client is copy
    copy.models.list()
    assert str(rec.seen[-1].url).startswith("https://eu.example.test/api/models")
    assert rec.seen[-1].extensions["timeout"]["read"] == 5.0
    assert (client.max_retries, copy.max_retries) == (2, 0)


def test_timeouts_default_per_client_and_per_call(pkg: Any) -> None:
    rec = Recorder()
    rec.client(pkg).models.list()
    rec.client(pkg, timeout=3.0).models.list()
    rec.client(pkg).models.list(timeout=httpx.Timeout(1.0, connect=0.5))
    reads = [r.extensions["timeout"]["read"] for r in rec.seen]
    assert reads == [60.0, 3.0, 1.0]


def test_base_url_and_credentials_from_the_environment(pkg: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLYTOMIC_API_KEY", SECRET)
    monkeypatch.setenv("POLYTOMIC_BASE_URL", "https://onprem.example.test")
    rec = Recorder()
    pkg.Polytomic(http_client=httpx.Client(transport=httpx.MockTransport(rec))).models.list()
    assert rec.seen[0].headers["Authorization"] == f"Bearer {SECRET}"
    assert str(rec.seen[0].url).startswith("https://onprem.example.test/api/models")


def test_bearer_token_from_a_callable_is_read_per_request(pkg: Any) -> None:
    tokens = iter(["t1", "t2"])
    rec = Recorder()
    client = rec.client(pkg, api_key=lambda: next(tokens))
    client.models.list()
    client.models.list()
    assert [r.headers["Authorization"] for r in rec.seen] == ["Bearer t1", "Bearer t2"]


def test_basic_auth_for_on_premises_deployments(pkg: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POLYTOMIC_API_KEY", raising=False)
    rec = Recorder()
    rec.client(pkg, api_key=None, username="deploy", password=SECRET).models.list()
    assert rec.seen[0].headers["Authorization"] == httpx.BasicAuth("deploy", SECRET)._auth_header


def test_credentials_stay_out_of_repr(pkg: Any) -> None:
    client = Recorder().client(pkg, username="u", password=SECRET)
    assert SECRET not in repr(client) and SECRET not in repr(client.__dict__)
