"""The generated docs cannot disagree with the code.

Every ```python block of each generated README.md and reference.md is type-checked with
``mypy --strict`` (one run per SDK) and executed against an ``httpx.MockTransport`` that answers
as the spec says; the reference documents every operation exactly once, with the parameters,
types and return type the generated method really has; the README's facts (error hierarchy,
retries) match the runtime's behaviour; hostile spec text stays inert.
"""

from __future__ import annotations

import builtins
import datetime
import importlib
import inspect
import logging
import os
import re
import subprocess
import sys
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator import Config, load_targets
from generator.ir.build import build_api
from generator.ir.nodes import Api, Operation
from generator.loader import load
from generator.render.docs import readme_context, reference_context
from generator.render.models import decl_refs
from generator.render.package import Meta
from generator.runtime import _exceptions
from tests.conftest import ROOT, GenerateFn
from tests.support.samples import Samples, end_followed_page

TARGETS = {c.target: c for c in load_targets(ROOT / "pyproject.toml")}
DOCS = ("README.md", "reference.md")
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.S | re.M)
TAIL = {"extra_headers", "extra_query", "extra_body", "timeout", "max_retries"}


# -- reading the docs --------------------------------------------------------------------------


def python_blocks(markdown: str) -> list[str]:
    return PYTHON_BLOCK.findall(markdown)


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    where: str
    required: bool


@dataclass(frozen=True)
class Section:
    """One operation of reference.md."""

    call: str  # client.bulk_sync.list
    key: str  # "get /api/bulk/syncs", as the IR spells it
    example: str
    params: tuple[Param, ...]
    returns: str


SECTION_HEAD = re.compile(r"`(?P<call>[\w.]+)`\n\n`(?P<method>[A-Z]+) (?P<path>[^`]+)`")
PARAM_LINE = re.compile(r"^- `(?P<name>\w+)` \(`(?P<type>[^`]+)`, (?P<where>[^,):]+)(?P<required>, required)?", re.M)
RETURNS_LINE = re.compile(r"^Returns (?:`(?P<type>[^`]+)`|(?P<pager>a pager).*)\.$", re.M)


def reference_sections(markdown: str) -> list[Section]:
    out = []
    for chunk in markdown.split("\n### ")[1:]:
        head = SECTION_HEAD.match(chunk)
        returns = RETURNS_LINE.search(chunk)
        assert head and returns, chunk[:300]
        (example,) = python_blocks(chunk)
        params = tuple(
            Param(m["name"], m["type"], m["where"], bool(m["required"])) for m in PARAM_LINE.finditer(chunk)
        )
        key = f"{head['method'].lower()} {head['path']}"
        out.append(Section(head["call"], key, example, params, returns["type"] or "pager"))
    return out


# -- the SDKs ----------------------------------------------------------------------------------


@dataclass
class Sdk:
    """A generated SDK on disk: its project folder, IR and docs."""

    project: Path
    package: str
    client: str
    api: Api
    docs: dict[str, str]

    def module(self) -> Any:
        if str(self.project) not in sys.path:
            sys.path.insert(0, str(self.project))
        importlib.invalidate_caches()
        return importlib.import_module(self.package)


def _sdk(config: Config, project: Path) -> Sdk:
    api, diagnostics = build_api(load(config.spec), config, config.package_name or "", config.client_name or "")
    assert api is not None, diagnostics
    docs = {name: (project / name).read_text(encoding="utf-8") for name in DOCS}
    return Sdk(project, config.package_name or "", config.client_name or "", api, docs)


@cache
def target_sdk(target: str) -> Sdk:
    config = TARGETS[target]
    return _sdk(config, config.output / (config.package_name or ""))


def example_files(sdk: Sdk) -> dict[str, str]:
    files = {}
    for doc, text in sdk.docs.items():
        blocks = python_blocks(text)
        assert blocks, doc
        files.update({f"{doc.split('.')[0].lower()}_{i:03d}.py": block for i, block in enumerate(blocks)})
    return files


def mypy_strict(
    files: dict[str, str], project: Path, tmp_path: Path, cache: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """One mypy run over every example (its incremental cache may be kept between runs: mypy
    re-checks whatever changed, so a warm cache only saves re-reading the unchanged SDK)."""
    folder = tmp_path / "examples"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    cache_dir = cache or tmp_path / "cache"
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache_dir), str(folder)],
        capture_output=True,
        text=True,
        env={**os.environ, "MYPYPATH": str(project)},
    )


# -- the mock server ---------------------------------------------------------------------------


def _path_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("^" + "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "$")


class MockServer:
    """Answers each request with a sample response of the operation it matches (literal paths first)."""

    def __init__(self, api: Api) -> None:
        self.samples = Samples(api)
        ops = sorted(api.all_operations(), key=lambda op: op.path.count("{"))
        self.routes = [(op, _path_pattern(op.path)) for op in ops]
        self.seen: list[tuple[httpx.Request, Operation | None]] = []

    def match(self, request: httpx.Request) -> Operation | None:
        path = request.url.raw_path.split(b"?")[0].decode()
        for op, pattern in self.routes:
            if op.method.upper() == request.method and pattern.match(path):
                return op
        return None

    def handler(self, request: httpx.Request) -> httpx.Response:
        op = self.match(request)
        self.seen.append((request, op))
        if op is None:
            return httpx.Response(404, json={"message": "no such operation"})
        status = int(op.response.status) if op.response.status.isdigit() else 200
        if op.response.type is None or status == 204:
            return httpx.Response(status)
        if op.response.kind == "binary":
            return httpx.Response(status, content=b"bytes")
        if op.response.kind == "text":
            return httpx.Response(status, text="text")
        return httpx.Response(status, json=end_followed_page(op, request, self.samples.json(op.response.type)))

    def run(self, code: str, name: str) -> list[tuple[httpx.Request, Operation | None]]:
        """Execute an example; the requests it made."""
        start = len(self.seen)
        exec(compile(code, name, "exec"), {"__name__": "__example__"})  # the docs under test
        return self.seen[start:]


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``offline(sdk)`` → a MockServer behind every httpx client the examples create."""
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    touched: list[tuple[logging.Logger, int]] = []

    def start(sdk: Sdk) -> MockServer:
        server = MockServer(sdk.api)
        transport = httpx.MockTransport(server.handler)

        class Client(httpx.Client):
            def __init__(self, **kwargs: Any) -> None:
                super().__init__(**{**kwargs, "transport": transport})

        class AsyncClient(httpx.AsyncClient):
            def __init__(self, **kwargs: Any) -> None:
                super().__init__(**{**kwargs, "transport": transport})

        monkeypatch.setattr(httpx, "Client", Client)
        monkeypatch.setattr(httpx, "AsyncClient", AsyncClient)
        for scheme in sdk.api.security_schemes:
            for env in scheme.env:
                monkeypatch.delenv(env, raising=False)
        bearer = next((s for s in sdk.api.security_schemes if s.kind == "bearer" and s.env), None)
        if bearer is not None:
            monkeypatch.setenv(bearer.env[0], "test-key")
        monkeypatch.delenv(sdk.package.upper() + "_BASE_URL", raising=False)
        sdk.module()
        logger = logging.getLogger(sdk.package)
        touched.append((logger, logger.level))
        return server

    yield start
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]
    for logger, level in touched:
        logger.setLevel(level)


# -- type checking -----------------------------------------------------------------------------


@pytest.mark.parametrize("target", list(TARGETS))
def test_every_example_type_checks(target: str, tmp_path: Path) -> None:
    sdk = target_sdk(target)
    files = example_files(sdk)
    assert sum(1 for name in files if name.startswith("reference_")) == len(sdk.api.all_operations())
    if target == next(iter(TARGETS)):  # sdkgen's own README shows this SDK in use
        sdkgen_readme = python_blocks((ROOT / "README.md").read_text(encoding="utf-8"))
        assert sdkgen_readme
        files.update({f"sdkgen_readme_{i}.py": block for i, block in enumerate(sdkgen_readme)})
    out = mypy_strict(files, sdk.project, tmp_path, ROOT / ".mypy_cache" / f"docs-{target}")
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"in {len(files)} source files" in out.stdout


# -- the reference -----------------------------------------------------------------------------


def _type_namespace(pkg: Any) -> dict[str, Any]:
    names = {name: getattr(pkg.types, name) for name in pkg.types.__all__}
    return {**vars(typing), **names, "datetime": datetime.datetime, "date": datetime.date, "None": None}


def _method(client: Any, call: str) -> Any:
    obj = client
    for attr in call.split(".")[1:]:
        obj = getattr(obj, attr)
    return obj


@pytest.mark.parametrize("target", list(TARGETS))
def test_reference_has_each_operation_once_with_its_real_signature(target: str) -> None:
    sdk = target_sdk(target)
    pkg = sdk.module()
    sections = reference_sections(sdk.docs["reference.md"])
    operations = sdk.api.all_operations()
    assert len(sections) == len(operations)
    assert sorted(s.key for s in sections) == sorted(op.key for op in operations)
    client = getattr(pkg, sdk.client)()
    ns = _type_namespace(pkg)
    for section in sections:
        signature = inspect.signature(_method(client, section.call), eval_str=True)  # PEP 563 strings
        actual = {name: p for name, p in signature.parameters.items() if name not in TAIL}
        documented = {p.name: p for p in section.params}
        assert documented.keys() == actual.keys(), section.call
        for name, param in actual.items():
            doc = documented[name]
            assert doc.required == (param.default is inspect.Parameter.empty), (section.call, name)
            assert (doc.where == "path") == (param.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD)
            expected = eval(doc.type, ns)
            if not doc.required:
                expected = typing.Union[expected, pkg.NotGiven]
            assert param.annotation == expected, (section.call, name, doc.type)
        if section.returns != "pager":  # a pager's class is the runtime's; its item type is in the text
            assert eval(section.returns, ns) == signature.return_annotation, section.call


@pytest.mark.parametrize("target", list(TARGETS))
def test_every_example_runs_against_a_mock_server(target: str, offline: Any) -> None:
    sdk = target_sdk(target)
    server: MockServer = offline(sdk)
    api_version = sdk.api.api_version
    for section in reference_sections(sdk.docs["reference.md"]):
        seen = server.run(section.example, section.call)
        keys = [op.key if op else request.url.path for request, op in seen]
        if section.returns == "pager":  # a pager walks every page the mock serves
            assert keys and set(keys) == {section.key}, section.call
        else:
            assert keys == [section.key], section.call
    total = 0
    for i, block in enumerate(python_blocks(sdk.docs["README.md"])):
        seen = server.run(block, f"README.md block {i}")
        total += len(seen)
        for request, op in seen:
            assert op is not None, request.url
            assert request.headers["Authorization"] == "Bearer test-key"
            if sdk.api.version_header:
                assert request.headers[sdk.api.version_header] == api_version
    assert total >= 8  # usage, version, errors, retries, idempotency, timeouts, raw, async


def test_readme_idempotency_example_sends_its_own_key(offline: Any) -> None:
    sdk = target_sdk("polytomic")
    server: MockServer = offline(sdk)
    block = next(b for b in python_blocks(sdk.docs["README.md"]) if "Idempotency-Key" in b)
    ((request, op),) = server.run(block, "idempotency")
    assert op is not None and op.method == "post"
    assert request.headers["Idempotency-Key"] == "my-unique-key-123"


# -- README facts against the runtime ----------------------------------------------------------


def test_error_tree_matches_the_runtime() -> None:
    """Each class of the drawn tree subclasses the class it hangs from, and gets its status."""
    readme = target_sdk("polytomic").docs["README.md"]
    tree = readme.split("```text\n", 1)[1].split("```", 1)[0].strip().splitlines()
    parents: list[type] = []
    request = httpx.Request("GET", "https://api.test/")
    for line in tree:
        name, *status = re.sub(r"^[\s│├└─]*", "", line).split()
        depth = (len(line) - len(line.lstrip(" │├└─"))) // 4
        cls = getattr(_exceptions, name)
        parents[depth:] = [cls]
        if depth:
            assert cls.__bases__ == (parents[depth - 1],), name
        if status[:1] == ["(a"]:  # "InvalidArgumentError (a ValueError)": raised before sending
            assert issubclass(cls, getattr(builtins, status[1].rstrip(")"))), name
            continue
        for code in [int(status[0])] if status and status[0].isdigit() else [500, 503] if status else []:
            error = _exceptions.make_status_error(httpx.Response(code, request=request), None)
            assert type(error) is cls, (name, code)
    documented = {re.sub(r"^[\s│├└─]*", "", line).split()[0] for line in tree}
    assert documented == set(_exceptions.__all__)


def test_readme_retry_claims_hold() -> None:
    sdk = target_sdk("polytomic")
    pkg = sdk.module()
    match = re.search(r"retries a failed request (\d+) times:\s.*? status ([\d, ]+) or 5xx", sdk.docs["README.md"], re.S)
    assert match
    retries = int(match[1])
    statuses = [int(s) for s in re.split(r"[, ]+", match[2].strip()) if s]
    for status, retried in [*((s, True) for s in [*statuses, 500, 503]), (400, False), (404, False)]:
        attempts = []

        def handler(request: httpx.Request, status: int = status, attempts: list[int] = attempts) -> httpx.Response:
            attempts.append(int(request.headers["X-Retry-Count"]))
            return httpx.Response(status, headers={"retry-after-ms": "0"}, json={"message": "no"})

        client = getattr(pkg, sdk.client)(api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
        with pytest.raises(pkg.APIStatusError):
            client.bulk_sync.list()
        assert attempts == (list(range(retries + 1)) if retried else [0]), status


# -- docs built from other IRs -----------------------------------------------------------------


def _meta(sdk: Sdk) -> Meta:
    return Meta(package=sdk.package, client=sdk.client, package_version="0.1.0", generator_version="0")


def test_paginated_operations_are_documented_as_pagers() -> None:
    sdk = target_sdk("polytomic")
    api = sdk.api
    refs = decl_refs(api)
    readme = readme_context(api, _meta(sdk), refs)
    paged = [op.name for op in api.all_operations() if op.pagination is not None]
    assert len(readme["paginated"]) == len(paged) >= 2
    assert (
        "`client.model_sync.list`: yields `ListSyncItem` from `data`;"
        " pages by `page_token` taken from `pagination.next_page_token`" in readme["paginated"]
    )
    assert ".iter_pages():" in readme["code"]["pagination"]
    assert "async for " in readme["code"]["pagination_async"]
    docs = [o for r in reference_context(api, _meta(sdk), refs)["resources"] for o in r.operations]
    listing = next(d for d in docs if "client.model_sync.list(" in d.example)
    assert "for item in client.model_sync.list(" in listing.example
    assert "`ListSyncItem`" in listing.returns_md


HOSTILE = "Close ``` fences </details> <script>alert(1)</script> {{ 7*7 }} {% raw %} [x](javascript:alert(1))"


def json_of(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def hostile_spec() -> dict[str, Any]:
    color = {"$ref": "#/components/schemas/Color"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Hostile ``` API </details> {{ x }}", "version": "1.0 ```", "description": HOSTILE},
        "servers": [{"url": "https://api.test"}],
        "tags": [{"name": "Widgets", "description": HOSTILE}, {"name": "Widgets.Parts", "description": HOSTILE}],
        "security": [{"token": []}, {"basic": []}],
        "components": {
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer", "description": HOSTILE},
                "basic": {"type": "http", "scheme": "basic"},
            },
            "schemas": {
                "Color": {"type": "string", "enum": ["red```\n```", "green"]},
                "Part": {
                    "type": "object",
                    "required": ["partName", "class", "made_at", "tags"],
                    "properties": {
                        "partName": {"type": "string", "description": HOSTILE},
                        "class": {"type": "string"},
                        "made_at": {"type": "string", "format": "date-time"},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "color": color,
                    },
                },
                "Node": {
                    "type": "object",
                    "required": ["label", "children"],
                    "properties": {
                        "label": {"type": "string"},
                        "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                    },
                },
                "Widget": {"type": "object", "properties": {"id": {"type": "string"}, "name": {"type": "string"}}},
            },
        },
        "paths": {
            "/widgets": {
                "get": {
                    "tags": ["Widgets"],
                    "operationId": "listWidgets",
                    "summary": HOSTILE,
                    "description": "```python\nimport os\nos.system('echo owned')\n```\n\n</details>",
                    "parameters": [
                        {"name": "color", "in": "query", "required": True, "schema": color, "description": HOSTILE},
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 10}},
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": json_of({"type": "array", "items": {"$ref": "#/components/schemas/Widget"}}),
                        }
                    },
                },
                "post": {
                    "tags": ["Widgets"],
                    "operationId": "createWidget",
                    "requestBody": {
                        "required": True,
                        "content": json_of(
                            {
                                "type": "object",
                                "required": ["name", "part", "tree", "when"],
                                "properties": {
                                    "name": {"type": "string", "description": HOSTILE},
                                    "part": {"$ref": "#/components/schemas/Part"},
                                    "tree": {"$ref": "#/components/schemas/Node"},
                                    "when": {"type": "string", "format": "date"},
                                    "meta": {"type": "object", "additionalProperties": {"type": "integer"}},
                                },
                            }
                        ),
                    },
                    "responses": {"201": {"description": "made", "content": json_of({"$ref": "#/components/schemas/Widget"})}},
                },
            },
            "/widgets/{widget_id}": {
                "delete": {
                    "tags": ["Widgets"],
                    "operationId": "deleteWidget",
                    "parameters": [{"name": "widget_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {"204": {"description": "gone"}},
                }
            },
            "/widgets/{widget_id}/parts/{color}": {
                "put": {
                    "tags": ["Widgets.Parts"],
                    "operationId": "uploadPart",
                    "parameters": [
                        {"name": "widget_id", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": "color", "in": "path", "required": True, "schema": color},
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
                    },
                    "responses": {"200": {"description": "ok", "content": {"text/plain": {"schema": {"type": "string"}}}}},
                }
            },
        },
    }


def _fences(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.lstrip().startswith("```")]


def test_hostile_spec_text_stays_inert(generated: GenerateFn, tmp_path: Path, offline: Any) -> None:
    options: dict[str, Any] = {"client_name": "Hostile", "version_header": "X-Test-Version", "auth_env": "HOSTILE_KEY"}
    pkg, result = generated(hostile_spec(), **options)
    spec = result.package_dir.parent.parent / "spec" / "openapi.yaml"
    sdk = _sdk(Config(spec=spec, package_name=pkg.__name__, **options), result.package_dir)
    for doc, text in sdk.docs.items():
        fences = _fences(text)
        # Fences only open with a language and close bare, strictly alternating: no spec text
        # opened, closed or indented one.
        assert fences[0::2] == [f for f in fences[0::2] if f in ("```python", "```sh", "```text")], doc
        assert set(fences[1::2]) == {"```"} and len(fences) % 2 == 0, doc
        for raw in ("</details>", "<script>", "](javascript:"):
            assert raw not in text, (doc, raw)
        assert not re.search(r"(?<!\\)\{[{%]", text), doc
        assert "\\</details\\>" in text and "\\{\\{ 7\\*7 \\}\\}" in text, doc
        for i, block in enumerate(python_blocks(text)):
            compile(block, f"{doc} block {i}", "exec")
            assert "os.system" not in block and "</details>" not in block
    assert len(reference_sections(sdk.docs["reference.md"])) == len(sdk.api.all_operations()) == 4
    assert "`client.widgets.parts.upload_part`" in sdk.docs["reference.md"]
    out = mypy_strict(example_files(sdk), sdk.project, tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    server: MockServer = offline(sdk)
    for section in reference_sections(sdk.docs["reference.md"]):
        seen = server.run(section.example, section.call)
        keys = [op.key if op else request.url.path for request, op in seen]
        if section.returns == "pager":  # a pager walks every page the mock serves
            assert keys and set(keys) == {section.key}, section.call
        else:
            assert keys == [section.key], section.call
    upload = next(request for request, op in server.seen if op and op.name == "upload_part")
    assert upload.headers["Content-Type"] == "application/octet-stream"
    assert upload.content == b"example bytes"
