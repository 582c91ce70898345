"""The contract server itself: it must fail loudly.  Plain httpx requests (no SDK) show that an
off-contract request or answer is rejected and recorded, that the deepObject workaround is as
narrow as documented, and that the fault script and the idempotency ledger behave.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.support.calls import TARGETS
from tests.support.contract import ContractServer, Fault, Seen, _CoreRequest, _deep_object_maps, _describe

SPEC_2025 = TARGETS["polytomic"].spec
SPEC_2024 = TARGETS["polytomic-2024-02-08"].spec
ID = "248df4b7-aa70-47b8-a036-33ac447e668d"
AUTH = {"Authorization": "Bearer k"}
SOURCE = f"/api/connections/{ID}/modelsync/source"  # `params`: deepObject map of string lists


@pytest.fixture
def server() -> ContractServer:
    return ContractServer(SPEC_2025)


@pytest.fixture
def http(server: ContractServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.server_url, transport=server.transport(), headers=AUTH) as client:
        yield client


def _rejected(server: ContractServer, response: httpx.Response, *fragments: str) -> None:
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["x-should-retry"] == "false"
    for fragment in fragments:
        assert fragment in response.text
        assert any(fragment in p for p in server.problems)
    with pytest.raises(AssertionError, match="contract violations"):
        server.assert_clean()


def test_valid_request_gets_a_validated_answer(server: ContractServer, http: httpx.Client) -> None:
    response = http.get(f"/api/models/{ID}")
    assert response.status_code == 200
    assert response.json() == server.sample("models.get") == server.seen[0].response
    assert server.seen[0].operation == "models.get"
    server.assert_clean()


@pytest.mark.parametrize(
    ("spec", "method", "path", "kwargs", "fragment"),
    [
        (SPEC_2025, "GET", "/api/models/not-a-uuid", {}, "is not a 'uuid'"),
        (SPEC_2025, "PUT", f"/api/models/{ID}", {"json": {"name": 5}}, "5 is not of type 'string'"),
        (SPEC_2025, "PUT", f"/api/models/{ID}", {"json": {}}, "'name' is a required property"),
        (
            SPEC_2025,
            "PUT",
            f"/api/models/{ID}",
            {"content": b"x", "headers": {"Content-Type": "text/plain"}},
            "text/plain",
        ),
        (SPEC_2025, "GET", f"/api/models/{ID}", {"headers": {"Authorization": ""}}, "Security not found"),
        (SPEC_2025, "GET", "/api/nowhere", {}, "/api/nowhere"),
        (SPEC_2025, "DELETE", "/api/models", {}, "delete"),
        (SPEC_2024, "GET", "/api/models/not-a-uuid", {}, "is not a 'uuid'"),  # OpenAPI 3.0
        (SPEC_2025, "GET", SOURCE, {"params": {"params[a][b]": "x"}}, "not a deepObject key"),
        (SPEC_2025, "GET", f"/api/models/{ID}", {"headers": [("Authorization", "Bearer a")] * 2}, "sent 2 times"),
    ],
)
def test_off_contract_requests_are_rejected_and_recorded(
    spec: object, method: str, path: str, kwargs: dict[str, object], fragment: str
) -> None:
    server = ContractServer(SPEC_2025 if spec is SPEC_2025 else SPEC_2024)
    headers = kwargs.pop("headers", {})
    headers = {**AUTH, **headers} if isinstance(headers, dict) else headers
    with httpx.Client(base_url=server.server_url, transport=server.transport()) as client:
        response = client.request(method, path, headers=headers, **kwargs)
    _rejected(server, response, fragment)
    assert server.applied == []


def test_deep_object_map_of_lists_is_validated_by_hand(server: ContractServer, http: httpx.Client) -> None:
    ok = http.get(SOURCE, params=[("params[a]", "x"), ("params[a]", "y"), ("params[b]", "z")])
    assert ok.status_code == 200, ok.text
    server.assert_clean()


def test_openapi_core_alone_rejects_the_deep_object_map_of_lists(server: ContractServer) -> None:
    """Why the workaround exists; when openapi-core reads these parameters, this fails and the
    by-hand validation in ``ContractServer._validate_deep_object_maps`` can go."""
    seen = Seen("GET", SOURCE + "?params%5Ba%5D=x&params%5Ba%5D=y", httpx.Headers(AUTH), b"")
    errors = [_describe(e) for e in server.app.iter_request_errors(_CoreRequest(server.server_url, seen))]
    assert len(errors) == 1 and "query parameter: params" in errors[0] and "is not of type 'array'" in errors[0]


def test_the_workaround_covers_only_maps_of_lists(server: ContractServer, http: httpx.Client) -> None:
    """``filters`` (a deepObject map of strings) is still read by openapi-core alone."""
    response = http.get(f"/api/bulk/syncs/{ID}/schemas", params={"filters[enabled]": "true"})
    assert response.status_code == 200
    by_hand = {
        op: set(_deep_object_maps(server.app.spec / "paths", server._operation(op)))
        for op in ("bulk_sync.schemas.list", "model_sync.get_source", "models.get")
    }
    assert by_hand == {"bulk_sync.schemas.list": set(), "model_sync.get_source": {"params"}, "models.get": set()}


def test_off_contract_answers_are_caught_before_they_are_sent() -> None:
    def respond(seen: Seen, payload: dict[str, object]) -> dict[str, object]:
        payload["data"] = {"id": 5}  # ModelResponse.id is a string
        return payload

    server = ContractServer(SPEC_2025, respond=respond)
    with httpx.Client(base_url=server.server_url, transport=server.transport(), headers=AUTH) as client:
        response = client.get(f"/api/models/{ID}")
    assert response.status_code == 500 and response.headers["x-should-retry"] == "false"
    assert "5 is not of type 'string'" in response.text
    assert len(server.problems) == 1 and server.problems[0].startswith(f"GET /api/models/{ID}: response:")


def test_scripted_answers_of_declared_statuses_are_validated(server: ContractServer, http: httpx.Client) -> None:
    server.script(Fault(status=404), Fault(status=404, body={"status": "gone"}), Fault(status=503, body={"any": 1}))
    assert http.get(f"/api/models/{ID}").json() == server.sample("models.get", "404")
    assert server.problems == []
    assert http.get(f"/api/models/{ID}").status_code == 404
    assert len(server.problems) == 1 and "'gone' is not of type" in server.problems[0]
    assert http.get(f"/api/models/{ID}").json() == {"any": 1}  # undeclared: sent as scripted
    assert len(server.problems) == 1


def test_unused_scripted_faults_fail_the_test(server: ContractServer) -> None:
    server.script(Fault(status=503))
    with pytest.raises(AssertionError, match="never used"):
        server.assert_clean()


def test_idempotency_ledger(server: ContractServer, http: httpx.Client) -> None:
    body = {"name": "Users", "connection_id": ID, "configuration": {}}
    first = http.post("/api/models", json=body, headers={"Idempotency-Key": "k1"})
    again = http.post("/api/models", json=body, headers={"Idempotency-Key": "k1"})
    other = http.post("/api/models", json=body, headers={"Idempotency-Key": "k2"})
    unkeyed = [http.post("/api/models", json=body) for _ in range(2)]
    assert first.status_code == again.status_code == other.status_code == 200
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert [s.replayed for s in server.seen] == [False, True, False, False, False]
    assert len(server.applied) == 4 and all(r.status_code == 200 for r in unkeyed)
    server.assert_clean()
    misuse = http.post("/api/models", json={**body, "name": "Other"}, headers={"Idempotency-Key": "k1"})
    _rejected(server, misuse, "reused for a different request")
    assert len(server.applied) == 4


def test_faults_through_the_mock_transport(server: ContractServer) -> None:
    server.script(
        Fault(drop=True), Fault(truncate=True), Fault(delay=5.0), Fault(status=429, headers={"Retry-After": "1"})
    )
    url = f"{server.server_url}/api/models/{ID}"
    with httpx.Client(transport=server.transport(), headers=AUTH, timeout=0.1) as client:
        with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
            client.get(url)
        with pytest.raises(httpx.RemoteProtocolError, match="complete message body"):
            client.get(url)

    async def slow_then_limited() -> httpx.Response:
        async with httpx.AsyncClient(transport=server.transport(), headers=AUTH, timeout=0.1) as client:
            with pytest.raises(httpx.ReadTimeout):
                await client.get(url)
            return await client.get(url)

    limited = asyncio.run(slow_then_limited())
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "1"
    server.assert_clean()


def test_faults_over_a_socket(server: ContractServer) -> None:
    server.script(Fault(drop=True), Fault(truncate=True), Fault(delay=5.0), Fault(apply=True, status=503))
    with server.serve() as base_url, httpx.Client(base_url=base_url, headers=AUTH, timeout=0.3) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            client.get(f"/api/models/{ID}")
        with pytest.raises(httpx.RemoteProtocolError):
            client.get(f"/api/models/{ID}")
        with pytest.raises(httpx.ReadTimeout):
            client.get(f"/api/models/{ID}")
        body = {"name": "Users", "connection_id": ID, "configuration": {}}
        failed = client.post("/api/models", json=body, headers={"Idempotency-Key": "k"})
        replayed = client.post("/api/models", json=body, headers={"Idempotency-Key": "k"})
    assert failed.status_code == 503 and replayed.status_code == 200
    assert replayed.headers["Idempotent-Replayed"] == "true"
    assert [s.operation for s in server.applied] == ["models.get", "models.create"]  # the slow one
    server.assert_clean()


def test_strict_mode_negotiates_accept() -> None:
    strict = ContractServer(SPEC_2025, strict=True)
    with httpx.Client(base_url=strict.server_url, transport=strict.transport(), headers=AUTH) as client:
        refused = client.get(f"/api/models/{ID}", headers={"Accept": "text/csv"})
        wildcard = client.get(f"/api/models/{ID}", headers={"Accept": "text/*;q=0.5, application/*"})
    assert refused.status_code == 406 and "matches none of application/json" in refused.text
    assert wildcard.status_code == 200
    assert strict.seen[1].unmarshalled.parameters.path == {"id": uuid.UUID(ID)}
    lenient = ContractServer(SPEC_2025)
    with httpx.Client(base_url=lenient.server_url, transport=lenient.transport(), headers=AUTH) as client:
        assert client.get(f"/api/models/{ID}", headers={"Accept": "text/csv"}).status_code == 200
