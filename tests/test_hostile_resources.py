"""Resources: a spec cannot make sdkgen read a file outside its folder, fetch a URL, run YAML
tags, or spend unbounded time and memory.

Reads are observed with an audit hook (every ``open`` the interpreter makes while a spec is
loaded), fetches with a local HTTP server that counts its hits.  Time and memory bounds are
measured by ``benchmarks/hostile_limits.py``; these tests check the behaviour on the same
documents: a clean diagnostic or a working SDK, never a traceback or a RecursionError.
"""

from __future__ import annotations

import http.server
import json
import os
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import Config, generate
from generator.diagnostics import Level, SpecError
from generator.loader import load
from generator.pipeline import build
from tests.support import hostile
from tests.support.hostile import build_sdk, call_every_operation, import_every_module, write_spec_text

# -- observing reads and fetches -----------------------------------------------------------------

_OPENED: list[str] | None = None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _OPENED is not None and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        _OPENED.append(os.fsdecode(args[0]))


sys.addaudithook(_audit)  # process-wide and permanent; records only while _OPENED is a list


class Opened:
    """Every path opened inside the ``with`` block."""

    def __enter__(self) -> list[str]:
        global _OPENED
        _OPENED = []
        return _OPENED

    def __exit__(self, *exc: object) -> None:
        global _OPENED
        _OPENED = None


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that serves a valid schema for any path and counts the requests."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            body = json.dumps({"type": "string", "X": {"type": "string"}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    httpd.shutdown()
    httpd.server_close()


def errors(path: Path) -> list[str]:
    return [d.format() for d in load(path).diagnostics if d.level is Level.ERROR]


def refused(spec: Path, out: Path) -> list[str]:
    """Generate with ``--strict``; expect a refusal; return its lines (and check nothing was
    written).  (Without ``--strict`` a broken ``$ref`` costs only what needs it.)"""
    with pytest.raises(SpecError) as info:
        generate(Config(spec=spec, output=out, package_name="pkg", strict=True))
    assert not out.exists()
    lines = [d.format() for d in info.value.diagnostics]
    assert all("\n" not in line and "Traceback" not in line for line in lines)
    return lines


def uses(ref: str) -> dict[str, Any]:
    """A spec whose only operation's response schema is ``ref``."""
    return hostile.base_doc(
        paths={
            "/a": {
                "get": {
                    "operationId": "get",
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": ref}}}}
                    },
                }
            }
        }
    )


# -- files outside the folder --------------------------------------------------------------------


@pytest.fixture
def secret(tmp_path: Path) -> tuple[Path, str]:
    """A readable, valid schema file beside (outside) the spec folder, and its unique text."""
    token = f"TOPSECRET-{uuid.uuid4().hex}"
    path = tmp_path / "secret.yaml"
    path.write_text(f"X:\n  type: string\n  description: {token}\n", encoding="utf-8")
    return path, token


OUTSIDE_REFS = [
    "../secret.yaml#/X",
    "../secret.yaml",
    "./../secret.yaml#/X",
    "sub/../../secret.yaml#/X",
    "%2e%2e/secret.yaml#/X",
    "..%2Fsecret.yaml#/X",
    "..\\secret.yaml#/X",
    "{abs}#/X",
    "file://{abs}#/X",
    "file://localhost{abs}#/X",
    "FILE://{abs}#/X",
    "link.yaml#/X",  # a symlink inside the folder to the file outside
    "linkdir/secret.yaml#/X",  # a symlinked directory
    "inner.yaml#/X",  # a file inside that refers outside
]


@pytest.mark.parametrize("ref", OUTSIDE_REFS)
def test_refs_outside_the_folder_are_refused_unread(ref: str, secret: tuple[Path, str], tmp_path: Path) -> None:
    path, token = secret
    folder = tmp_path / "spec"
    folder.mkdir()
    (folder / "sub").mkdir()
    (folder / "link.yaml").symlink_to(path)
    (folder / "linkdir").symlink_to(tmp_path)
    (folder / "inner.yaml").write_text("X:\n  $ref: '../secret.yaml#/X'\n", encoding="utf-8")
    spec = write_spec_text(folder, uses(ref.format(abs=path.as_posix())))
    with Opened() as opened:
        lines = refused(spec, tmp_path / "out")
        lenient = generate(Config(spec=spec, output=tmp_path / "lenient", package_name="pkg"))
    assert not [p for p in opened if Path(p).name == "secret.yaml" or Path(p).resolve() == path], opened
    assert any("$ref" in line and "#/" in line for line in lines), lines
    assert all(token not in line for line in lines)
    assert lenient.skipped and all(token not in d.format() for d in lenient.diagnostics)


def test_refs_in_literal_data_are_not_followed(secret: tuple[Path, str], tmp_path: Path) -> None:
    """``$ref`` inside examples, defaults, enums and ``x-`` extensions is data."""
    path, token = secret
    doc = uses("#/components/schemas/A")
    outside = {"$ref": path.as_uri() + "#/X"}
    doc["components"] = {
        "schemas": {
            "A": {
                "type": "object",
                "properties": {"a": {"type": "object", "default": outside, "example": outside, "x-data": outside}},
                "example": outside,
            }
        }
    }
    with Opened() as opened:
        sdk = build_sdk(write_spec_text(tmp_path / "spec", doc), tmp_path / "out", formatted=False)
    assert not [p for p in opened if Path(p).name == "secret.yaml"]
    assert all(token.encode() not in data for data in sdk.files.values())


# -- remote references and URLs ------------------------------------------------------------------


def test_remote_refs_are_refused_unfetched(server: tuple[str, list[str]], tmp_path: Path) -> None:
    base, hits = server
    before = len(hits)
    doc = uses(f"{base}/schema.json#/X")
    doc["jsonSchemaDialect"] = f"{base}/dialect"
    doc["info"]["termsOfService"] = f"{base}/terms"
    doc["externalDocs"] = {"url": f"{base}/docs"}
    doc["components"] = {
        "schemas": {
            "Local": {
                "$schema": f"{base}/meta",
                "$id": f"{base}/id",
                "type": "object",
                "properties": {"r": {"$ref": f"{base}/r.json"}},
            },
            "Https": {"$ref": "https://127.0.0.1:1/x.json"},
            "Dynamic": {"$dynamicRef": f"{base}/dyn#meta"},
        },
        "parameters": {"P": {"$ref": f"{base}/param.json"}},
    }
    doc["paths"]["/b"] = {"$ref": f"{base}/pathitem.json"}
    lines = refused(write_spec_text(tmp_path / "spec", doc), tmp_path / "out")
    lenient = generate(Config(spec=tmp_path / "spec" / "openapi.json", output=tmp_path / "lenient", package_name="pkg"))
    assert len(hits) == before, hits[before:]
    assert len(lenient.skipped) >= 4, lenient.diagnostics
    remote = [line for line in lines if "remote $ref" in line]
    assert len(remote) >= 4, lines
    assert any("#/paths/~1a/get/responses/200/content/application~1json/schema/$ref" in line for line in remote)


# -- YAML and JSON hazards -----------------------------------------------------------------------

SENTINEL = Path(tempfile.gettempdir()) / f"sdkgen-yaml-sentinel-{os.getpid()}"


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (f"openapi: 3.1.0\nx: !!python/object/apply:os.system ['touch {SENTINEL}']\n", "not allowed (line 2)"),
        (f"openapi: 3.1.0\nx: !!python/object/new:os.system ['touch {SENTINEL}']\n", "not allowed (line 2)"),
        ("openapi: 3.1.0\nx: !!python/name:os.system\n", "not allowed (line 2)"),
        ("openapi: 3.1.0\nx: !!python/module:os\n", "not allowed (line 2)"),
        (
            f"openapi: 3.1.0\nx: !<tag:yaml.org,2002:python/object/apply:os.system> ['touch {SENTINEL}']\n",
            "not allowed",
        ),
        ("openapi: 3.1.0\nx: !custom {a: 1}\n", "not allowed (line 2)"),
        ("openapi: 3.1.0\nx: !!binary aGVsbG8=\n", "not allowed (line 2)"),
        ("openapi: 3.1.0\nx: !!set {a, b}\n", "not allowed (line 2)"),
        ("openapi: 3.1.0\nx: !!omap [1]\n", "not allowed (line 2)"),  # (an omap of one-key maps is read)
        ("openapi: 3.1.0\nx: !!timestamp 2024-01-01\n", "not allowed (line 2)"),
        ("openapi: 3.1.0\nx: &a [*a]\n", "alias contains itself"),
        ("openapi: 3.1.0\nx: &a {b: *a}\n", "alias contains itself"),
        ("openapi: 3.1.0\nopenapi: 3.0.0\n", "duplicate key 'openapi' (line 2)"),
        ("openapi: 3.1.0\nx: {a: 1, 'a': 2}\n", "duplicate key 'a'"),
        ("openapi: 3.1.0\nx:\n  1: a\n  '1': b\n", "duplicate key '1'"),
        ("openapi: 3.1.0\nx: {? [a]: 1}\n", "a mapping key must be a scalar"),
        (hostile.alias_bomb(9, 9), "alias bomb"),
        (hostile.alias_bomb(30, 2), "alias bomb"),
        ("openapi: 3.1.0\n\ty: tab\n", "invalid YAML"),
        ("\x00openapi: 3.1.0\n", "NUL character (line 1)"),
    ],
)
def test_yaml_hazards_are_refused(text: str, needle: str, tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(text, encoding="utf-8")
    lines = refused(spec, tmp_path / "out")
    assert any(needle in line and line.startswith("error: openapi.yaml#") for line in lines), lines
    assert not SENTINEL.exists()


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('{"openapi": "3.1.0", "openapi": "3.0.0"}', "duplicate key 'openapi'"),
        ('{"openapi": "3.1.0", "x": {"a": 1, "\\u0061": 2}}', "duplicate key 'a'"),
        ('{"openapi": "3.1.0", "x": [1, 2,], "y": [}', "invalid JSON"),
        ('{"openapi": "3.1.0", "x": NaN}', "NaN is not a JSON value"),
        ('{"openapi": "3.1.0", "x": -Infinity}', "-Infinity is not a JSON value"),
        ('{"openapi": "3.1.0", "x": "a', "invalid JSON"),
    ],
)
def test_json_hazards_are_refused(text: str, needle: str, tmp_path: Path) -> None:
    spec = tmp_path / "openapi.json"
    spec.write_text(text, encoding="utf-8")
    lines = refused(spec, tmp_path / "out")
    assert any(needle in line and line.startswith("error: openapi.json#") for line in lines), lines


def test_not_utf8_and_lone_surrogates(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_bytes(b"openapi: 3.1.0\ninfo: {title: \xff}\n")
    assert any("not UTF-8" in line for line in refused(spec, tmp_path / "out"))
    doc = hostile.base_doc()
    doc["info"]["description"] = "a \udfff b"  # JSON escapes a lone surrogate; it is not Unicode
    lines = refused(write_spec_text(tmp_path / "surrogate", doc), tmp_path / "out")
    assert lines == ["error: openapi.json#/info/description: a string holds a lone surrogate (not Unicode)"]
    doc = hostile.base_doc(paths={"/a\ud800": {}})
    lines = refused(write_spec_text(tmp_path / "surrogate-key", doc), tmp_path / "out")
    assert lines == ["error: openapi.json#/paths/~1a%ED%A0%80: a key holds a lone surrogate (not Unicode)"]


# -- depth, cycles, size -------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [600, 5000, 100_000])
@pytest.mark.parametrize("kind", ["array", "object"])
def test_deep_json_is_refused_at_its_place(kind: str, depth: int, tmp_path: Path) -> None:
    spec = tmp_path / "openapi.json"
    spec.write_text(hostile.deep_json(depth, kind), encoding="utf-8")
    lines = refused(spec, tmp_path / "out")
    token = "0" if kind == "array" else "a"
    assert len(lines) == 1 and lines[0].startswith(f"error: openapi.json#/x-deep/{token}/{token}/"), lines
    assert "…(+491)…" in lines[0] and ": nesting deeper than 500 levels" in lines[0]


@pytest.mark.parametrize("depth", [600, 5000, 100_000])
@pytest.mark.parametrize(("kind", "block"), [("array", False), ("object", False), ("array", True), ("object", True)])
def test_deep_yaml_is_refused_at_its_place(kind: str, block: bool, depth: int, tmp_path: Path) -> None:
    """Checked on the YAML events before PyYAML composes the document: its composer recurses
    in C, and a 100,000-level document crashed the interpreter."""
    spec = tmp_path / "openapi.yaml"
    spec.write_text(hostile.deep_yaml(min(depth, 1000) if block else depth, kind, block), encoding="utf-8")
    lines = refused(spec, tmp_path / "out")
    token = "0" if kind == "array" else "a"
    line = 505 if block else 4
    assert lines == [
        f"error: openapi.yaml#/x-deep/{token}/{token}/{token}/{token}/{token}/{token}/{token}/…(+491)…/{token}/{token}: "
        f"nesting deeper than 500 levels (line {line})"
    ]


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0", "2.0"])
@pytest.mark.parametrize("as_json", [True, False])
def test_nesting_at_the_limit_generates(version: str, as_json: bool, tmp_path: Path) -> None:
    """Up to the limit, every stage copes: a 495-level extension and a 490-level items chain."""
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(490):
        schema = {"type": "array", "items": schema}
    deep: Any = 1
    for _ in range(495):
        deep = [deep]
    doc = hostile.base_doc(components={"schemas": {"Deep": schema}}, **{"x-deep": deep})
    doc["paths"] = uses("#/components/schemas/Deep")["paths"]
    if version == "2.0":
        doc = {"swagger": "2.0", "info": doc["info"], "host": "api.test", "schemes": ["https"], "paths": {"/a": {
            "get": {"responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Deep"}}}}}},
            "definitions": {"Deep": schema}, "x-deep": deep}  # fmt: skip
    else:
        doc["openapi"] = version
    spec = tmp_path / "spec" / ("openapi.json" if as_json else "openapi.yaml")
    spec.parent.mkdir()
    # YAML: the JSON text behind a comment (a YAML writer recurses once per level itself)
    spec.write_text(("" if as_json else "# YAML\n") + json.dumps(doc), encoding="utf-8")
    sdk = build_sdk(spec, tmp_path / "out", formatted=False)
    messages = [d.message for d in sdk.result.diagnostics]
    assert messages == ["schema nests more than 64 inline levels; typed as any value"], messages
    call_every_operation(sdk)


def test_a_validator_crash_is_reported_where_it_happened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.loader import spec_validator

    def crash(self: Any, schema: Any) -> set[str]:
        raise KeyError("boom")

    monkeypatch.setattr(spec_validator, "_collect_properties", crash)
    doc = uses("#/components/schemas/Both")
    doc["components"] = {"schemas": {"Both": {"allOf": [{"type": "object"}, {"required": []}]}}}
    loaded = load(write_spec_text(tmp_path / "spec", doc))
    assert [d.format() for d in loaded.diagnostics] == [
        "warning: openapi.json#/components/schemas/Both: openapi-spec-validator failed here "
        "(KeyError: 'boom'); the rest of the document was not validated"
    ]

    def deep(self: Any, schema: Any) -> set[str]:
        raise RecursionError

    monkeypatch.setattr(spec_validator, "_collect_properties", deep)
    loaded = load(write_spec_text(tmp_path / "spec", doc))
    assert [d.format() for d in loaded.diagnostics] == [
        "warning: openapi.json#/components/schemas/Both: openapi-spec-validator gave up on the schema here: the "
        "schemas it leads to refer to each other too deeply (or in a loop) for it; the rest of the document was "
        "not validated"
    ]


def test_deep_schema_below_the_limit_generates(tmp_path: Path) -> None:
    sdk = build_sdk(write_spec_text(tmp_path / "spec", hostile.deep_schema(240)), tmp_path / "out", formatted=False)
    assert any("inline levels" in d.message for d in sdk.result.diagnostics)
    import_every_module(sdk)
    call_every_operation(sdk)


def test_schema_cycles_generate(tmp_path: Path) -> None:
    sdk = build_sdk(write_spec_text(tmp_path / "spec", hostile.cycles_doc()), tmp_path / "out", formatted=False)
    messages = [d.format() for d in sdk.result.diagnostics]
    assert any("allOf refers back to itself" in m and "/components/schemas/AllA" in m for m in messages), messages
    assert any("nothing but a reference back to itself" in m and "/schemas/AllSelf" in m for m in messages)
    assert not any("validator" in m for m in messages), messages  # it checked every recursive schema
    import_every_module(sdk)
    call_every_operation(sdk)


def test_ref_loops_are_errors_with_the_loop(tmp_path: Path) -> None:
    """A chain of nothing but ``$ref``s that comes back resolves to nothing: one error per loop,
    at its first ref, naming every hop; the validator does not run (no "gave up" warning)."""
    lines = refused(write_spec_text(tmp_path / "spec", hostile.cycles_doc(broken=True)), tmp_path / "out")
    s = "#/components/schemas/"
    assert sorted(lines) == [
        "error: openapi.json#/components/parameters/P/$ref: $ref chain loops back on itself: "
        "#/components/parameters/P → #/components/parameters/Q → #/components/parameters/P "
        "(hint: a $ref must lead to an object)",
        f"error: openapi.json{s}RefA/$ref: $ref chain loops back on itself: {s}RefA → {s}RefB → {s}RefA "
        "(hint: a $ref must lead to an object)",
        f"error: openapi.json{s}Self/$ref: $ref chain loops back on itself: {s}Self → {s}Self "
        "(hint: a $ref must lead to an object)",
        f"error: openapi.json{s}Sibling/$ref: $ref chain loops back on itself: {s}Sibling → {s}Sibling "
        "(hint: a $ref must lead to an object)",
        "error: openapi.json#/paths/~1item-cycle/$ref: $ref chain loops back on itself: "
        "#/paths/~1item-cycle → #/paths/~1item-cycle (hint: a $ref must lead to an object)",
    ]


def test_ref_loops_across_files(tmp_path: Path) -> None:
    """A loop through three files is one error naming each hop; a recursive schema across
    files (an array of allOf of itself) generates, and the validator checks it."""
    spec = tmp_path / "loop"
    (spec / "schemas").mkdir(parents=True)
    doc = uses("schemas/a.yaml#/A")
    doc["components"] = {"schemas": {"Loop": {"$ref": "schemas/a.yaml#/A"}}}
    (spec / "openapi.json").write_text(json.dumps(doc), encoding="utf-8")
    (spec / "schemas" / "a.yaml").write_text("A: {$ref: 'b.yaml#/B'}\n", encoding="utf-8")
    (spec / "schemas" / "b.yaml").write_text(
        "B: {$ref: '../openapi.json#/components/schemas/Loop'}\n", encoding="utf-8"
    )
    lines = refused(spec / "openapi.json", tmp_path / "out")
    assert lines == [
        "error: openapi.json#/components/schemas/Loop/$ref: $ref chain loops back on itself: "
        "#/components/schemas/Loop → schemas/a.yaml#/A → schemas/b.yaml#/B → #/components/schemas/Loop "
        "(hint: a $ref must lead to an object)"
    ]
    spec = tmp_path / "recursive"
    (spec / "schemas").mkdir(parents=True)
    (spec / "openapi.json").write_text(json.dumps(uses("schemas/a.yaml#/Tree")), encoding="utf-8")
    (spec / "schemas" / "a.yaml").write_text("Tree: {type: array, items: {$ref: 'b.yaml#/Forest'}}\n", encoding="utf-8")
    (spec / "schemas" / "b.yaml").write_text("Forest: {allOf: [{$ref: 'a.yaml#/Tree'}]}\n", encoding="utf-8")
    sdk = build_sdk(spec / "openapi.json", tmp_path / "out", formatted=False)
    assert not sdk.result.diagnostics, sdk.result.diagnostics
    call_every_operation(sdk)


def test_long_ref_chains_generate(tmp_path: Path) -> None:
    """2,500 schemas, each referring to the next: neither the validator nor the IR builder may
    recurse once per schema.  (The SDK is only generated: importing it would import 2,500
    modules, each from the one before; a 60-long chain is imported and called.)"""
    spec = write_spec_text(tmp_path / "long", hostile.ref_chain(2500))
    loaded = load(spec)
    assert not loaded.diagnostics, loaded.diagnostics[:3]
    result = build(Config(spec=spec, output=tmp_path / "out"), loaded=loaded, formatted=False)
    assert not result.diagnostics, result.diagnostics[:3]
    assert sum(1 for rel in result.files if "/types/s_" in rel) == 2501
    sdk = build_sdk(write_spec_text(tmp_path / "short", hostile.ref_chain(60)), tmp_path / "out", formatted=False)
    assert not sdk.result.diagnostics
    call_every_operation(sdk)


def test_doubling_all_of_is_linear(tmp_path: Path) -> None:
    """``L{i}: allOf: [L{i-1}, L{i-1}]`` has 2**40 paths to ``L0``: each schema is merged once."""
    spec = write_spec_text(tmp_path / "spec", hostile.all_of_doubling(40))
    started = time.perf_counter()
    sdk = build_sdk(spec, tmp_path / "out", formatted=False)
    assert time.perf_counter() - started < 60
    model = next(d for d in sdk.api.decls if d.name == "L40")
    assert [f.wire for f in model.fields] == ["a", *(f"p{i}" for i in range(1, 41))]  # type: ignore[union-attr]


def test_two_thousand_operations(tmp_path: Path) -> None:
    spec = write_spec_text(tmp_path / "spec", hostile.many_operations(2000))
    sdk = build_sdk(spec, tmp_path / "out", formatted=False, validation=False)
    assert sdk.result.operations == 2000
    import_every_module(sdk)
