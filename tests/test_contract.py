"""Contract tests: every operation of both generated Polytomic packages, sync and async, against
the spec-driven server of ``tests/support/contract.py``.  Every request the SDK sends must pass
openapi-core validation against the document the SDK was generated from, every answer (itself
validated) must parse into the SDK's models, and what the SDK sends and returns must be exactly
the synthesized values.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from generator.ir.nodes import Operation
from tests.support.calls import TARGETS, api, build_call, canon, client_class, method_of
from tests.support.contract import ContractServer, Seen

MAX_PAGES = 5


def _cases() -> list[tuple[str, str]]:
    return [(target, op.key) for target in TARGETS for op in api(target).all_operations()]


CASES = _cases()
IDS = [f"{t}:{k}" for t, k in CASES]


class Run:
    """One operation against a fresh contract server."""

    def __init__(self, target: str, key: str, strict: bool = False) -> None:
        self.target = target
        self.api = api(target)
        self.op: Operation = next(o for o in self.api.all_operations() if o.key == key)
        self.pagination = getattr(self.op, "pagination", None)
        self.server = ContractServer(TARGETS[target].spec, respond=self._paginate, strict=strict)
        skip = frozenset({self.pagination.cursor.wire}) if self.pagination is not None else frozenset()
        self.call = build_call(target, self.op, self.server.app.spec, skip=skip)

    def client(self, *, asynchronous: bool) -> Any:
        cls = client_class(self.target, asynchronous=asynchronous)
        http = (httpx.AsyncClient if asynchronous else httpx.Client)(transport=self.server.transport())
        return cls(api_key="test-key", http_client=http)

    def _paginate(self, seen: Seen, payload: Any) -> Any:
        """Two pages for a cursor-paginated operation: a next cursor on the first, none after."""
        if self.pagination is None or not isinstance(payload, dict):
            return payload
        *parents, last = self.pagination.next_cursor_wire
        node = payload
        for name in parents:
            node = node.setdefault(name, {})
        if self.pagination.cursor.wire in _query(seen):
            node.pop(last, None)
        else:
            node[last] = "page-2"
        return payload

    def check_requests(self) -> None:
        self.server.assert_clean()
        seen = self.server.seen
        assert seen, "no request reached the server"
        for n, request in enumerate(seen):
            assert request.method == self.op.method.upper()
            assert urlsplit(request.target).path == self.call.path
            query = _query(request)
            expected = set(self.call.query) | ({self.pagination.cursor.wire} if n else set())
            assert {k.split("[", 1)[0] for k in query} == expected, request.target
            if n:
                assert query[self.pagination.cursor.wire] == "page-2"
            assert request.headers["Authorization"] == "Bearer test-key"
            if self.api.version_header:
                assert request.headers[self.api.version_header] == self.api.api_version
            if self.op.idempotency_header:
                assert request.headers[self.op.idempotency_header]
            if self.call.body is None:
                assert request.body == b""
            else:
                assert canon(request.json()) == canon(self.call.body)

    def check_result(self, result: Any, items: list[Any] | None) -> None:
        sent = [s.response for s in self.server.seen]
        if items is not None:  # a pager: every item of every page, in order
            assert self.pagination is not None
            assert len(sent) == 2, "the pager must follow the cursor to the second page and stop"
            expected = [item for page in sent for item in page[self.pagination.items_wire]]
            assert [canon(_dump(i)) for i in items] == canon(expected)
            return
        assert len(sent) == 1
        if sent[0] is None:
            assert result is None
        else:
            assert canon(_dump(result)) == canon(sent[0])


def _query(seen: Seen) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(seen.target).query, keep_blank_values=True))


def _dump(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, list):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
@pytest.mark.parametrize(("target", "key"), CASES, ids=IDS)
def test_sync(target: str, key: str, strict: bool) -> None:
    """``strict``: the server also negotiates ``Accept``, takes only ``true``/``false`` for
    booleans and refuses repeated single-valued query parameters (tests/support/strict.py)."""
    run = Run(target, key, strict)
    result = method_of(run.client(asynchronous=False), target, run.op)(*run.call.args, **run.call.kwargs)
    items = None
    if hasattr(result, "iter_pages"):
        items = []
        for item in result:
            items.append(item)
            assert len(items) < 100 and len(run.server.seen) <= MAX_PAGES
    run.check_requests()
    run.check_result(result, items)


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
@pytest.mark.parametrize(("target", "key"), CASES, ids=IDS)
async def test_async(target: str, key: str, strict: bool) -> None:
    run = Run(target, key, strict)
    result = method_of(run.client(asynchronous=True), target, run.op)(*run.call.args, **run.call.kwargs)
    if not hasattr(result, "__aiter__"):  # a coroutine (of a model, or of a pager)
        result = await result
    items = None
    if hasattr(result, "iter_pages"):
        items = []
        async for item in result:
            items.append(item)
            assert len(items) < 100 and len(run.server.seen) <= MAX_PAGES
    run.check_requests()
    run.check_result(result, items)


@pytest.mark.parametrize("target", list(TARGETS))
def test_every_operation_of_the_document_is_run(target: str) -> None:
    """The IR (and so this file's cases) holds every operation the document declares."""
    spec = ContractServer(TARGETS[target].spec).app.spec
    declared = {
        f"{method} {path}"
        for path, item in (spec / "paths").str_items()
        for method in item.str_keys()
        if method in ("get", "put", "post", "delete", "patch", "head", "options", "trace")
    }
    assert {k for t, k in CASES if t == target} == declared
