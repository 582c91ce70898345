"""Every generated Polytomic endpoint, sync and async, through httpx.MockTransport: the request
(method, path, query, headers, JSON body) is checked against the spec's wire facts and the
synthesized response is parsed into the declared model.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
from functools import cache
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from generator import load_targets
from generator.ir.build import build_api
from generator.ir.nodes import Api, Operation
from generator.loader import load
from tests.conftest import ROOT
from tests.support.samples import Samples

TARGETS = {c.target: c for c in load_targets(ROOT / "pyproject.toml")}


@cache
def _api(target: str) -> Api:
    config = TARGETS[target]
    api, diagnostics = build_api(load(config.spec), config, config.package_name or "", config.client_name or "")
    assert api is not None, diagnostics
    return api


def _package(target: str) -> Any:
    config = TARGETS[target]
    project = str(config.output / (config.package_name or ""))
    if project not in sys.path:
        sys.path.insert(0, project)
    return importlib.import_module(config.package_name or "")


def _resource(client: Any, api: Api, op: Operation) -> Any:
    stack = [(client, r) for r in api.resources]
    while stack:
        parent, res = stack.pop()
        obj = getattr(parent, res.attr)
        if op in res.operations:
            return obj
        stack.extend((obj, c) for c in res.children)
    raise AssertionError(op.key)


def _cases() -> list[tuple[str, str]]:
    out = []
    for target in TARGETS:
        out.extend((target, op.key) for op in _api(target).all_operations())
    return out


CASES = _cases()


class Exchange:
    """Builds the call for one operation and checks what reached the transport."""

    def __init__(self, target: str, key: str) -> None:
        self.api = _api(target)
        self.pkg = _package(target)
        self.op = next(o for o in self.api.all_operations() if o.key == key)
        self.samples = Samples(self.api)
        self.seen: list[httpx.Request] = []
        self.response_json = self.samples.json(self.op.response.type) if self.op.response.type is not None else None

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        status = int(self.op.response.status) if self.op.response.status.isdigit() else 200
        if self.response_json is None or status == 204:
            return httpx.Response(status)
        return httpx.Response(status, json=self.response_json)

    def arguments(self) -> tuple[list[Any], dict[str, Any]]:
        args = [f"id-{p.wire}/x" for p in self.op.path_params]
        kwargs: dict[str, Any] = {p.name: self.samples.python(p.type, self.pkg.types) for p in self.op.params}
        if self.op.body is not None:
            for f in self.op.body.fields:
                kwargs[f.name] = self.samples.python(f.type, self.pkg.types)
            if self.op.body.name and self.op.body.type is not None:
                kwargs[self.op.body.name] = self.samples.python(self.op.body.type, self.pkg.types)
        return args, kwargs

    def check(self, result: Any, kwargs: dict[str, Any]) -> None:
        assert len(self.seen) == 1
        request = self.seen[0]
        op = self.op
        assert request.method == op.method.upper()
        expected_path = op.path
        for p in op.path_params:
            expected_path = expected_path.replace("{" + p.wire + "}", quote(f"id-{p.wire}/x", safe=""))
        assert request.url.raw_path.split(b"?")[0].decode() == expected_path
        query_keys = {k.split("[")[0] for k in request.url.params}
        assert query_keys == {p.wire for p in op.params if p.location == "query"}
        for p in op.params:
            if p.location == "header":
                assert p.wire in request.headers
        assert request.headers["Authorization"] == "Bearer test-key"
        assert request.headers["X-Polytomic-Version"] == self.api.api_version
        if op.idempotency_header:
            assert request.headers[op.idempotency_header]
        if op.body is not None and op.body.fields:
            sent = json.loads(request.content)
            assert set(sent) == {f.wire for f in op.body.fields}
            for f in op.body.fields:
                value = kwargs[f.name]
                expected = value.to_dict() if hasattr(value, "to_dict") else value
                if isinstance(expected, list):
                    expected = [v.to_dict() if hasattr(v, "to_dict") else v for v in expected]
                if hasattr(expected, "isoformat"):
                    expected = expected.isoformat()
                assert sent[f.wire] == expected, f.wire
        if self.response_json is None:
            assert result is None
        elif hasattr(result, "to_dict"):
            assert result.to_dict() == self.response_json


@pytest.mark.parametrize(("target", "key"), CASES, ids=[f"{t}:{k}" for t, k in CASES])
def test_sync_endpoint(target: str, key: str) -> None:
    ex = Exchange(target, key)
    client_cls = getattr(ex.pkg, TARGETS[target].client_name or "")
    client = client_cls(api_key="test-key", http_client=httpx.Client(transport=httpx.MockTransport(ex.handler)))
    args, kwargs = ex.arguments()
    result = getattr(_resource(client, ex.api, ex.op), ex.op.name)(*args, **kwargs)
    if ex.op.pagination is not None:
        assert not ex.seen, "a pager requests nothing until it is used"
        result = result.first_page()
    ex.check(result, kwargs)


@pytest.mark.parametrize(("target", "key"), CASES, ids=[f"{t}:{k}" for t, k in CASES])
def test_async_endpoint(target: str, key: str) -> None:
    ex = Exchange(target, key)
    client_cls = getattr(ex.pkg, "Async" + (TARGETS[target].client_name or ""))
    client = client_cls(api_key="test-key", http_client=httpx.AsyncClient(transport=httpx.MockTransport(ex.handler)))
    args, kwargs = ex.arguments()
    method = getattr(_resource(client, ex.api, ex.op), ex.op.name)
    if ex.op.pagination is not None:
        result = asyncio.run(method(*args, **kwargs).first_page())
    else:
        result = asyncio.run(method(*args, **kwargs))
    ex.check(result, kwargs)


def test_every_operation_is_covered() -> None:
    for target in TARGETS:
        assert len([c for c in CASES if c[0] == target]) == len(_api(target).all_operations()) > 0


def test_models_update_is_put_and_version_pinned() -> None:
    ex = Exchange("polytomic", "put /api/models/{id}")
    assert ex.op.name == "update" and ex.op.method == "put"
    assert _package("polytomic").API_VERSION == "2025-09-18"

