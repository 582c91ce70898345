"""``sdkgen diff``: one feature case per rule (old spec, new spec, expected rule and severity),
both directions where they differ; the SDK symbol join; the semver verdict; the output formats
and exit codes; and the committed Polytomic 2024-02-08 → 2025-09-18 report."""

from __future__ import annotations

import copy
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.config import Config
from generator.drift.changes import Change, Severity
from generator.drift.diff import DiffInput, DiffResult, diff
from generator.drift.report import render
from tests.conftest import ROOT, write_spec

DATA = ROOT / "tests" / "data" / "diff"
REPORT = ROOT / "docs" / "polytomic-2024-02-08-to-2025-09-18.md"
FULL_REPORT = ROOT / "docs" / "polytomic-2024-02-08-to-2025-09-18.full.md"

B, P, N = "breaking", "possibly-breaking", "non-breaking"

Doc = dict[str, Any]


def _json(schema: Doc) -> Doc:
    return {"application/json": {"schema": schema}}


def _ok(schema: Doc) -> Doc:
    return {"200": {"description": "ok", "content": _json(schema)}}


def _ref(name: str) -> Doc:
    return {"$ref": f"#/components/schemas/{name}"}


ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
VERSION = {"$ref": "#/components/parameters/Version"}


def base() -> Doc:
    """A small API: ``Color`` travels both ways, ``status`` only in responses, ``priority``
    only in requests."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Shop API", "version": "1"},
        "servers": [{"url": "https://shop.example"}],
        "security": [{"bearer": []}],
        "paths": {
            "/items": {
                "get": {
                    "operationId": "items.list",
                    "tags": ["items"],
                    "parameters": [
                        {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                        VERSION,
                        {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["name", "date"]}},
                    ],
                    "responses": _ok(_ref("ItemList")),
                },
                "post": {
                    "operationId": "items.create",
                    "tags": ["items"],
                    "parameters": [VERSION],
                    "requestBody": {"required": True, "content": _json(_ref("ItemCreate"))},
                    "responses": _ok(_ref("Item")),
                },
            },
            "/items/{id}": {
                "get": {
                    "operationId": "items.get",
                    "tags": ["items"],
                    "parameters": [ID, VERSION],
                    "responses": {**_ok(_ref("Item")), "404": {"description": "missing"}},
                },
            },
        },
        "components": {
            "parameters": {
                "Version": {
                    "name": "X-Shop-Version",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string", "default": "1"},
                }
            },
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-Key"},
            },
            "schemas": {
                "Item": {
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": {
                        "id": {"type": "string"},
                        "name": {"type": "string"},
                        "note": {"type": "string"},
                        "color": _ref("Color"),
                        "status": {"type": "string", "enum": ["active", "archived"]},
                        "weight": {"type": "integer"},
                        "tag": {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]},
                    },
                },
                "ItemList": {"type": "object", "properties": {"data": {"type": "array", "items": _ref("Item")}}},
                "ItemCreate": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string"},
                        "size": {"type": "integer", "default": 1},
                        "color": _ref("Color"),
                        "priority": {"type": "string", "enum": ["low", "high"]},
                        "tag": {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]},
                        "sku": _ref("Sku"),
                    },
                },
                "Color": {"type": "string", "enum": ["red", "green"]},
                "Sku": {"type": "string", "description": "A stock keeping unit (an alias)."},
                "Unused": {"type": "object", "properties": {"a": {"type": "string"}}},
                "Problem": {"type": "object", "properties": {"detail": {"type": "string"}}},
            },
        },
    }


def run(old: Doc, new: Doc, tmp_path: Path, *, sdk: bool = False, strict: bool = False) -> DiffResult:
    old_path = write_spec(tmp_path / "old", old)
    new_path = write_spec(tmp_path / "new", new)
    return diff(
        DiffInput("old", Config(spec=old_path)), DiffInput("new", Config(spec=new_path)), strict=strict, sdk=sdk
    )


def changed(edit: Callable[[Doc], None], start: Callable[[], Doc] = base) -> tuple[Doc, Doc]:
    old = start()
    new = copy.deepcopy(old)
    edit(new)
    return old, new


def rules(result: DiffResult) -> dict[str, Change]:
    return {c.rule: c for c in result.changes}


# -- helpers that edit the base document --------------------------------------------------


def schema(doc: Doc, name: str) -> Doc:
    return doc["components"]["schemas"][name]


def prop(doc: Doc, name: str, field: str) -> Doc:
    return schema(doc, name)["properties"][field]


def op(doc: Doc, path: str, method: str) -> Doc:
    return doc["paths"][path][method]


def limit(doc: Doc) -> Doc:
    return op(doc, "/items", "get")["parameters"][0]


def with_required(name: str, field: str, required: bool) -> Callable[[Doc], None]:
    def edit(doc: Doc) -> None:
        req = schema(doc, name).setdefault("required", [])
        if required:
            req.append(field)
        else:
            req.remove(field)

    return edit


# -- one case per rule: (edit of the base document, rule, severity) -----------------------

CASES: dict[str, tuple[Callable[[Doc], None], str, str]] = {
    "operation added": (
        lambda d: d["paths"]["/items/{id}"].update(
            delete={
                "operationId": "items.delete",
                "tags": ["items"],
                "parameters": [ID],
                "responses": {"204": {"description": "gone"}},
            }
        ),
        "operation-added",
        N,
    ),
    "operation removed": (lambda d: d["paths"]["/items/{id}"].pop("get"), "operation-removed", B),
    "list became paginated": (
        lambda d: (
            op(d, "/items", "get")["parameters"].append(
                {"name": "page_token", "in": "query", "schema": {"type": "string"}}
            ),
            schema(d, "ItemList")["properties"].update(next_page_token={"type": "string"}),
        ),
        "operation-became-paginated",
        B,
    ),
    "path changed (same operationId)": (
        lambda d: d["paths"].update({"/things/{id}": d["paths"].pop("/items/{id}")}),
        "operation-path-changed",
        B,
    ),
    "method changed (same operationId)": (
        lambda d: d["paths"]["/items"].update(put=d["paths"]["/items"].pop("post")),
        "operation-method-changed",
        B,
    ),
    "operationId changed, SDK method renamed": (
        lambda d: op(d, "/items/{id}", "get").update(operationId="items.fetch"),
        "operation-id-changed",
        B,
    ),
    "operationId changed, SDK name kept": (
        lambda d: op(d, "/items/{id}", "get").update(operationId="itemsGet"),
        "operation-id-changed",
        N,
    ),
    "tag changed: SDK method moves": (
        lambda d: op(d, "/items/{id}", "get").update(tags=["products"]),
        "sdk-method-renamed",
        B,
    ),
    "operation deprecated": (lambda d: op(d, "/items", "get").update(deprecated=True), "operation-deprecated", N),
    "required parameter added": (
        lambda d: op(d, "/items", "get")["parameters"].append(
            {"name": "q", "in": "query", "required": True, "schema": {"type": "string"}}
        ),
        "param-added-required",
        B,
    ),
    "optional parameter added": (
        lambda d: op(d, "/items", "get")["parameters"].append(
            {"name": "q", "in": "query", "schema": {"type": "string"}}
        ),
        "param-added-optional",
        N,
    ),
    "parameter removed": (lambda d: op(d, "/items", "get")["parameters"].pop(0), "param-removed", B),
    "parameter moved query -> header": (lambda d: limit(d).update({"in": "header"}), "param-moved", B),
    "parameter type changed": (lambda d: limit(d).update(schema={"type": "string"}), "param-type-changed", B),
    "parameter type widened (int -> number)": (
        lambda d: limit(d).update(schema={"type": "number"}),
        "param-type-changed",
        N,
    ),
    "parameter became required": (lambda d: limit(d).update(required=True), "param-became-required", B),
    "parameter default changed": (
        lambda d: limit(d).update(schema={"type": "integer", "default": 50}),
        "param-default-changed",
        P,
    ),
    "parameter enum value removed": (
        lambda d: op(d, "/items", "get")["parameters"][2]["schema"]["enum"].remove("date"),
        "request-enum-value-removed",
        B,
    ),
    "parameter enum value added": (
        lambda d: op(d, "/items", "get")["parameters"][2]["schema"]["enum"].append("size"),
        "request-enum-value-added",
        N,
    ),
    "path parameter renamed": (
        lambda d: (
            d["paths"].update({"/items/{item_id}": d["paths"].pop("/items/{id}")})
            or op(d, "/items/{item_id}", "get")["parameters"].__setitem__(0, {**ID, "name": "item_id"})
        ),
        "path-param-renamed",
        B,
    ),
    "request property added (required)": (
        lambda d: (
            schema(d, "ItemCreate")["properties"].update(code={"type": "string"}),
            schema(d, "ItemCreate")["required"].append("code"),
        ),
        "request-property-added-required",
        B,
    ),
    "request property added (optional)": (
        lambda d: schema(d, "ItemCreate")["properties"].update(code={"type": "string"}),
        "request-property-added",
        N,
    ),
    "request property removed": (
        lambda d: schema(d, "ItemCreate")["properties"].pop("size"),
        "request-property-removed",
        B,
    ),
    "request property type changed": (
        lambda d: prop(d, "ItemCreate", "size").update(type="string", default="1"),
        "request-property-type-changed",
        B,
    ),
    "request property became required": (
        with_required("ItemCreate", "size", True),
        "request-property-became-required",
        B,
    ),
    "request property became optional": (
        with_required("ItemCreate", "name", False),
        "request-property-became-optional",
        N,
    ),
    "request property became nullable": (
        lambda d: prop(d, "ItemCreate", "size").update(type=["integer", "null"]),
        "request-property-became-nullable",
        N,
    ),
    "request property default changed": (
        lambda d: prop(d, "ItemCreate", "size").update(default=2),
        "request-property-default-changed",
        P,
    ),
    "request enum value added": (
        lambda d: prop(d, "ItemCreate", "priority")["enum"].append("urgent"),
        "request-enum-value-added",
        N,
    ),
    "request enum value removed": (
        lambda d: prop(d, "ItemCreate", "priority")["enum"].remove("high"),
        "request-enum-value-removed",
        B,
    ),
    "response property added": (
        lambda d: schema(d, "Item")["properties"].update(sku={"type": "string"}),
        "response-property-added",
        N,
    ),
    "response property removed": (
        lambda d: schema(d, "Item")["properties"].pop("note"),
        "response-property-removed",
        B,
    ),
    "response property became optional": (with_required("Item", "name", False), "response-property-became-optional", B),
    "response property became required": (with_required("Item", "note", True), "response-property-became-required", N),
    "response property became nullable": (
        lambda d: prop(d, "Item", "note").update(type=["string", "null"]),
        "response-property-became-nullable",
        B,
    ),
    "response property type changed": (
        lambda d: prop(d, "Item", "note").update(type="integer"),
        "response-property-type-changed",
        B,
    ),
    "response property widened (int -> number)": (
        lambda d: prop(d, "Item", "weight").update(type="number"),
        "response-property-type-changed",
        B,
    ),
    "response enum value added": (
        lambda d: prop(d, "Item", "status")["enum"].append("deleted"),
        "response-enum-value-added",
        P,
    ),
    "response enum value removed": (
        lambda d: prop(d, "Item", "status")["enum"].remove("archived"),
        "response-enum-value-removed",
        N,
    ),
    "request body became optional": (
        lambda d: op(d, "/items", "post")["requestBody"].update(required=False),
        "request-body-became-optional",
        N,
    ),
    "request body removed": (lambda d: op(d, "/items", "post").pop("requestBody"), "request-body-removed", B),
    "request body added (required)": (
        lambda d: op(d, "/items/{id}", "get").update(
            requestBody={"required": True, "content": _json(_ref("ItemCreate"))}
        ),
        "request-body-added",
        B,
    ),
    "request body added (optional)": (
        lambda d: op(d, "/items/{id}", "get").update(requestBody={"content": _json(_ref("ItemList"))}),
        "request-body-added",
        N,
    ),
    "optional request body added whose properties are required arguments": (
        lambda d: op(d, "/items/{id}", "get").update(requestBody={"content": _json(_ref("ItemCreate"))}),
        "request-body-added",
        B,
    ),
    "request body media type changed": (
        lambda d: op(d, "/items", "post")["requestBody"].update(content={"text/plain": {"schema": {"type": "string"}}}),
        "request-body-media-type-changed",
        B,
    ),
    "response body removed": (
        lambda d: op(d, "/items/{id}", "get")["responses"].update({"200": {"description": "nothing"}}),
        "response-body-removed",
        B,
    ),
    "response media type changed": (
        lambda d: op(d, "/items/{id}", "get")["responses"].update(
            {"200": {"description": "csv", "content": {"text/csv": {"schema": {"type": "string"}}}}}
        ),
        "response-media-type-changed",
        B,
    ),
    "response status changed within 2xx": (
        lambda d: op(d, "/items", "post")["responses"].update({"201": op(d, "/items", "post")["responses"].pop("200")}),
        "response-status-changed",
        P,
    ),
    "error status added": (
        lambda d: op(d, "/items", "get")["responses"].update({"429": {"description": "slow down"}}),
        "error-status-added",
        N,
    ),
    "schema added": (
        lambda d: d["components"]["schemas"].update(Extra={"type": "object", "properties": {"x": {"type": "string"}}}),
        "schema-added",
        N,
    ),
    "schema removed": (lambda d: d["components"]["schemas"].pop("Unused"), "schema-removed", B),
    "schema changed kind": (
        lambda d: d["components"]["schemas"].update(Unused={"type": "string", "enum": ["a"]}),
        "schema-kind-changed",
        B,
    ),
    "security: alternative added": (
        lambda d: d.update(security=[{"bearer": []}, {"apiKey": []}]),
        "security-requirement-added",
        N,
    ),
    "security: operation no longer needs auth": (
        lambda d: op(d, "/items", "get").update(security=[]),
        "security-requirement-removed",
        N,
    ),
    "security: accepted scheme replaced": (
        lambda d: d.update(security=[{"apiKey": []}]),
        "security-requirement-removed",
        B,
    ),
    "security scheme removed": (
        lambda d: d["components"]["securitySchemes"].pop("apiKey"),
        "security-scheme-removed",
        B,
    ),
    "security scheme changed": (
        lambda d: d["components"]["securitySchemes"]["apiKey"].update(name="X-Other-Key"),
        "security-scheme-changed",
        B,
    ),
    "version header: new pinned version": (
        lambda d: (
            d["info"].update(version="2"),
            d["components"]["parameters"]["Version"]["schema"].update(default="2"),
        ),
        "version-header-changed",
        P,
    ),
    "parameter became nullable": (
        lambda d: limit(d).update(schema={"type": ["integer", "null"]}),
        "param-became-nullable",
        N,
    ),
    "request union variant added": (
        lambda d: prop(d, "ItemCreate", "tag")["oneOf"].append({"type": "array", "items": {"type": "string"}}),
        "request-union-variant-added",
        N,
    ),
    "request union variant removed": (
        lambda d: prop(d, "ItemCreate", "tag")["oneOf"].pop(),
        "request-union-variant-removed",
        B,
    ),
    "response union variant added": (
        lambda d: prop(d, "Item", "tag")["oneOf"].append({"type": "array", "items": {"type": "string"}}),
        "response-union-variant-added",
        P,
    ),
    "response union variant removed": (
        lambda d: prop(d, "Item", "tag")["oneOf"].pop(),
        "response-union-variant-removed",
        N,
    ),
    "request alias type changed": (lambda d: schema(d, "Sku").update(type="integer"), "request-schema-type-changed", B),
    "response body type changed": (
        lambda d: op(d, "/items/{id}", "get")["responses"]["200"]["content"]["application/json"].update(
            schema={"type": "string"}
        ),
        "response-body-type-changed",
        B,
    ),
    "request body changed shape": (
        lambda d: op(d, "/items", "post")["requestBody"]["content"]["application/json"].update(
            schema={"type": "array", "items": {"type": "string"}}
        ),
        "request-body-type-changed",
        B,
    ),
    "response property default changed": (
        lambda d: prop(d, "Item", "weight").update(default=3),
        "response-property-default-changed",
        N,
    ),
    "parameter maximum lowered": (
        lambda d: limit(d).update(schema={"type": "integer", "maximum": 50}),
        "param-constraint-tightened",
        B,
    ),
    "request property maxLength lowered": (
        lambda d: prop(d, "ItemCreate", "name").update(maxLength=10),
        "request-property-constraint-tightened",
        B,
    ),
    "response property maxLength lowered": (
        lambda d: prop(d, "Item", "name").update(maxLength=10),
        "response-property-constraint-tightened",
        N,
    ),
    "request property gains a pattern": (
        lambda d: prop(d, "ItemCreate", "name").update(pattern="^[a-z]+$"),
        "request-property-constraint-tightened",
        B,
    ),
    "request alias gains a pattern": (
        lambda d: schema(d, "Sku").update(pattern="^[A-Z]{3}$"),
        "request-schema-constraint-tightened",
        B,
    ),
    "version header removed": (
        lambda d: (
            [o["parameters"].remove(VERSION) for item in d["paths"].values() for o in item.values()]
            and d["components"].pop("parameters")
        ),
        "version-header-removed",
        B,
    ),
    "request property became readOnly": (
        lambda d: prop(d, "ItemCreate", "size").update(readOnly=True),
        "request-property-became-read-only",
        B,
    ),
    "response property became writeOnly": (
        lambda d: prop(d, "Item", "note").update(writeOnly=True),
        "response-property-became-write-only",
        B,
    ),
    "parameter deprecated": (lambda d: limit(d).update(deprecated=True), "param-deprecated", N),
    "schema deprecated": (lambda d: schema(d, "Item").update(deprecated=True), "schema-deprecated", N),
    "response property deprecated": (
        lambda d: prop(d, "Item", "note").update(deprecated=True),
        "response-property-deprecated",
        N,
    ),
    "request property deprecated": (
        lambda d: prop(d, "ItemCreate", "priority").update(deprecated=True),
        "request-property-deprecated",
        N,
    ),
    "error schema added to a documented status": (
        lambda d: op(d, "/items/{id}", "get")["responses"]["404"].update(content=_json(_ref("Problem"))),
        "error-body-added",
        P,
    ),
    "server base path changed": (
        lambda d: d.update(servers=[{"url": "https://shop.example/v2"}]),
        "server-url-changed",
        B,
    ),
    "server host changed": (
        lambda d: d.update(servers=[{"url": "https://api.shop.example"}]),
        "server-url-changed",
        P,
    ),
    "operation served from another base path": (
        lambda d: op(d, "/items", "get").update(servers=[{"url": "https://shop.example/search"}]),
        "server-added",
        B,
    ),
    "path item served from another base path": (
        lambda d: d["paths"]["/items/{id}"].update(servers=[{"url": "https://files.shop.example/v9"}]),
        "server-added",
        B,
    ),
    "alternative server added": (
        lambda d: d["servers"].append({"url": "https://eu.shop.example"}),
        "server-added",
        N,
    ),
}


# The same edits read backwards (old = edited, new = base): the opposite rule.
REVERSED: dict[str, tuple[str, str, str]] = {
    "parameter became optional": ("parameter became required", "param-became-optional", N),
    "parameter became non-nullable": ("parameter became nullable", "param-became-non-nullable", B),
    "request property became non-nullable": (
        "request property became nullable",
        "request-property-became-non-nullable",
        B,
    ),
    "response property became non-nullable": (
        "response property became nullable",
        "response-property-became-non-nullable",
        N,
    ),
    "request body became required": ("request body became optional", "request-body-became-required", B),
    "response body added": ("response body removed", "response-body-added", N),
    "error status removed": ("error status added", "error-status-removed", N),
    "security scheme added": ("security scheme removed", "security-scheme-added", N),
    "security: alternative removed": ("security: alternative added", "security-requirement-removed", B),
    "security: operation now needs auth": ("security: operation no longer needs auth", "security-requirement-added", B),
    "version header added": ("version header removed", "version-header-added", N),
    "request property no longer readOnly": (
        "request property became readOnly",
        "request-property-no-longer-read-only",
        N,
    ),
    "response property no longer writeOnly": (
        "response property became writeOnly",
        "response-property-no-longer-write-only",
        N,
    ),
    "error schema removed from a documented status": (
        "error schema added to a documented status",
        "error-body-removed",
        B,
    ),
    "alternative server removed": ("alternative server added", "server-removed", P),
    "parameter maximum raised or dropped": ("parameter maximum lowered", "param-constraint-loosened", N),
    "response property maxLength dropped": (
        "response property maxLength lowered",
        "response-property-constraint-loosened",
        P,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES) + sorted(REVERSED))
def test_rule(case: str, tmp_path: Path) -> None:
    if case in REVERSED:
        forward, rule, severity = REVERSED[case]
        new, old = changed(CASES[forward][0])
    else:
        edit, rule, severity = CASES[case]
        old, new = changed(edit)
    found = rules(run(old, new, tmp_path))
    assert rule in found, f"{case}: expected {rule}, got {sorted(found)}"
    assert found[rule].severity.value == severity, f"{case}: {found[rule]}"
    assert found[rule].message


def test_every_rule_is_documented() -> None:
    documented = set(re.findall(r"`((?:[a-z0-9]+-)+[a-z0-9]+)`", (ROOT / "docs" / "diff-rules.md").read_text()))
    tested = {rule for _, rule, _ in CASES.values()} | {rule for _, rule, _ in REVERSED.values()}
    assert tested <= documented, sorted(tested - documented)


def test_version_header_that_no_longer_accepts_the_old_version_is_breaking(tmp_path: Path) -> None:
    old = base()
    old["components"]["parameters"]["Version"]["schema"]["enum"] = ["1", "2"]
    new = copy.deepcopy(old)
    new["info"]["version"] = "2"
    new["components"]["parameters"]["Version"]["schema"].update(enum=["2"], default="2")
    change = rules(run(old, new, tmp_path))["version-header-changed"]
    assert change.severity is Severity.BREAKING
    assert "X-Shop-Version" in change.message and "versions no longer accepted: 1" in change.message
    assert change.where.pointer == "/components/parameters/Version"


def test_unchanged_spec_has_no_changes_and_is_a_patch(tmp_path: Path) -> None:
    result = run(base(), base(), tmp_path, sdk=True)
    assert result.changes == ()
    assert result.verdict.bump == "patch"


def test_30_and_31_spellings_of_the_same_api_are_equal(tmp_path: Path) -> None:
    new = base()
    new["components"]["schemas"]["Item"]["properties"]["note"] = {"type": ["string", "null"]}
    old = copy.deepcopy(new)
    old["openapi"] = "3.0.3"
    old["components"]["schemas"]["Item"]["properties"]["note"] = {"type": "string", "nullable": True}
    assert run(old, new, tmp_path).changes == ()


# -- each change on its own: the verdict is the maximum ------------------------------------


def _one_scheme(doc: Doc) -> None:
    doc["components"]["securitySchemes"] = {"ApiKeyAuth": {"type": "apiKey", "in": "header", "name": "X-Key"}}
    doc["security"] = [{"ApiKeyAuth": []}]


def test_a_renamed_security_scheme_keeps_its_client_argument(tmp_path: Path) -> None:
    def renamed(d: Doc) -> None:
        d["components"]["securitySchemes"] = {"key": d["components"]["securitySchemes"].pop("ApiKeyAuth")}
        d["security"] = [{"key": []}]

    old, new = changed(renamed, lambda: (lambda d: (_one_scheme(d), d)[1])(base()))
    result = run(old, new, tmp_path / "a", sdk=True)
    assert [(c.rule, c.severity.value) for c in result.changes] == [("security-scheme-renamed", N)]
    assert "api_key= and how it is sent stay" in result.changes[0].message
    assert result.verdict.bump == "patch"

    def bearer(d: Doc) -> None:
        d["components"]["securitySchemes"] = {"BearerAuth": {"type": "http", "scheme": "bearer"}}
        d["security"] = [{"BearerAuth": []}]

    old, new = changed(bearer, lambda: (lambda d: (_one_scheme(d), d)[1])(base()))
    result = run(old, new, tmp_path / "b", sdk=True)
    change = rules(result)["security-scheme-changed"]
    assert "api_key= stays" in change.message and "gone" not in change.message
    assert "security-scheme-removed" not in rules(result) and "security-requirement-removed" not in rules(result)


def test_a_harmless_change_on_a_method_does_not_hide_a_breaking_one(tmp_path: Path) -> None:
    """The request property made readOnly removes ``create(size=...)``; the same method also
    stops documenting an error and gains an optional response property."""

    def edit(d: Doc) -> None:
        prop(d, "ItemCreate", "size")["readOnly"] = True
        op(d, "/items", "post")["responses"]["400"] = {"description": "bad"}
        schema(d, "Item")["properties"]["extra"] = {"type": "string"}

    result = run(*changed(edit), tmp_path, sdk=True)
    change = rules(result)["request-property-became-read-only"]
    assert change.severity is Severity.BREAKING
    assert "Shop.items.create(size=...)" in change.symbols
    assert change.where.pointer == "/components/schemas/ItemCreate/properties/size"
    assert result.verdict.bump == "major"


def test_an_sdk_break_that_only_harmless_changes_name_stands_on_its_own() -> None:
    from generator.drift.changes import SAFE, Where
    from generator.drift.sdk_join import SdkFinding, join

    harmless = Change("error-status-removed", SAFE, "no longer documents 400", Where("PUT", "/x"), ("C.x.update",))
    finding = SdkFinding("sdk-parameter-removed", "C.x.update(type=...)", "C.x.update(type=...): parameter removed")
    out = join([harmless], [finding])
    assert [(c.rule, c.severity) for c in out] == [
        ("error-status-removed", Severity.NON_BREAKING),
        ("sdk-parameter-removed", Severity.BREAKING),
    ]
    breaking = Change("param-removed", Severity.BREAKING, "gone", Where("PUT", "/x"), ("C.x.update",))
    out = join([harmless, breaking], [finding])
    assert [c.rule for c in out] == ["error-status-removed", "param-removed"]
    assert out[1].symbols == ("C.x.update", "C.x.update(type=...)")  # the join adds the symbol


def test_error_body_switched_to_another_schema(tmp_path: Path) -> None:
    def start() -> Doc:
        doc = base()
        doc["components"]["schemas"]["Fault"] = {"type": "object", "properties": {"code": {"type": "integer"}}}
        op(doc, "/items/{id}", "get")["responses"]["404"]["content"] = _json(_ref("Problem"))
        return doc

    old, new = changed(
        lambda d: op(d, "/items/{id}", "get")["responses"]["404"].update(content=_json(_ref("Fault"))), start
    )
    change = rules(run(old, new, tmp_path))["error-body-type-changed"]
    assert change.severity is Severity.BREAKING
    assert "Problem -> Fault" in change.message and "e.body" in change.message
    assert change.where.pointer == "/paths/~1items~1{id}/get/responses/404"


def test_error_status_removed_says_what_e_body_becomes(tmp_path: Path) -> None:
    def start() -> Doc:
        doc = base()
        op(doc, "/items/{id}", "get")["responses"]["404"]["content"] = _json(_ref("Problem"))
        return doc

    old, new = changed(lambda d: op(d, "/items/{id}", "get")["responses"].pop("404"), start)
    result = run(old, new, tmp_path)
    change = rules(result)["error-status-removed"]
    assert change.severity is Severity.NON_BREAKING and "decoded JSON instead of Problem" in change.message
    assert result.verdict.bump == "patch"


def test_server_variables(tmp_path: Path) -> None:
    def start() -> Doc:
        doc = base()
        doc["servers"] = [
            {
                "url": "https://{region}.shop.example/{version}",
                "variables": {
                    "region": {"default": "us", "enum": ["us", "eu"]},
                    "version": {"default": "v1"},
                },
            }
        ]
        return doc

    def edit(d: Doc) -> None:
        variables = d["servers"][0]["variables"]
        variables["region"]["enum"] = ["us"]
        variables["version"]["default"] = "v2"

    found = rules(run(*changed(edit, start), tmp_path))
    assert found["server-variable-value-removed"].severity is Severity.BREAKING  # server_variables= rejects it
    assert "Shop(server_variables=...)" in found["server-variable-value-removed"].symbols
    assert found["server-variable-value-removed"].where.pointer == "/servers/0/variables/region"
    url = found["server-url-changed"]
    assert url.severity is Severity.BREAKING and "'/v1' to '/v2'" in url.message
    assert "https://us.shop.example/v2" in url.message and url.symbols == ("Shop",)


def test_deprecation_is_a_minor_release(tmp_path: Path) -> None:
    result = run(*changed(lambda d: op(d, "/items", "get").update(deprecated=True)), tmp_path)
    assert result.verdict.bump == "minor"
    assert any("deprecation" in r for r in result.verdict.reasons)


# -- direction: one declaration used both ways --------------------------------------------


@pytest.mark.parametrize(
    ("edit", "rule", "severity"),
    [
        # request: harmless; response: a value strict clients do not expect
        (lambda d: schema(d, "Color")["enum"].append("blue"), "response-enum-value-added", P),
        # request: rejected; response: harmless
        (lambda d: schema(d, "Color")["enum"].remove("green"), "request-enum-value-removed", B),
    ],
)
def test_shared_enum_takes_the_more_severe_direction(
    edit: Callable[[Doc], None], rule: str, severity: str, tmp_path: Path
) -> None:
    old, new = changed(edit)
    found = rules(run(old, new, tmp_path))
    assert found[rule].severity.value == severity
    assert found[rule].direction == "both"
    assert found[rule].symbols == ("shop.types.Color",)


def test_enum_direction_reverses_severity(tmp_path: Path) -> None:
    old, new = changed(
        lambda d: (prop(d, "ItemCreate", "priority")["enum"].append("x"), prop(d, "Item", "status")["enum"].append("x"))
    )
    found = {(c.rule, c.severity.value) for c in run(old, new, tmp_path).changes}
    assert ("request-enum-value-added", N) in found
    assert ("response-enum-value-added", P) in found


# -- the operationId rename, with the wire unchanged ---------------------------------------


def test_operation_id_rename_is_a_breaking_sdk_change(tmp_path: Path) -> None:
    old, new = DATA / "rename" / "old.yaml", DATA / "rename" / "new.yaml"
    result = diff(DiffInput("old", Config(spec=old)), DiffInput("new", Config(spec=new)))
    assert [c.rule for c in result.changes] == ["operation-id-changed"]
    (change,) = result.changes
    assert change.severity is Severity.BREAKING
    assert change.symbols == ("Shop.models.remove", "Shop.models.delete")
    assert change.where.method == "DELETE" and change.where.path == "/models/{id}"
    assert change.where.pointer == "/paths/~1models~1{id}/delete/operationId"
    assert result.verdict.bump == "major"


# -- schemas: renames, recursion -----------------------------------------------------------


def test_schema_renamed_with_same_structure(tmp_path: Path) -> None:
    def rename(d: Doc) -> None:
        text = json.dumps(d).replace('"#/components/schemas/Item"', '"#/components/schemas/Product"')
        d.clear()
        d.update(json.loads(text))
        d["components"]["schemas"]["Product"] = d["components"]["schemas"].pop("Item")

    old, new = changed(rename)
    result = run(old, new, tmp_path, sdk=True)
    assert [(c.rule, c.severity.value) for c in result.changes] == [("schema-renamed", B)]
    assert result.changes[0].symbols == ("shop.types.Item", "shop.types.Product")
    # the SDK-level fallout (the type gone from polytomic.types, annotations that name it) is explained


def _tree(child: str) -> Doc:
    doc = base()
    doc["components"]["schemas"][child] = {
        "type": "object",
        "properties": {"label": {"type": "string"}, "children": {"type": "array", "items": _ref(child)}},
    }
    doc["components"]["schemas"]["Item"]["properties"]["tree"] = _ref(child)
    return doc


def test_recursive_schemas_are_walked_once(tmp_path: Path) -> None:
    old, new = _tree("OldNode"), _tree("NewNode")
    new["components"]["schemas"]["NewNode"]["properties"]["label"] = {"type": "integer"}
    found = rules(run(old, new, tmp_path))
    change = found["response-property-type-changed"]
    assert "NewNode (replaces OldNode).label" in change.message
    assert change.where.pointer == "/components/schemas/NewNode/properties/label"
    assert found["schema-removed"].symbols == ("shop.types.OldNode",)


# -- symbols ---------------------------------------------------------------------------------


def test_changes_name_sdk_symbols(tmp_path: Path) -> None:
    def edit(d: Doc) -> None:
        limit(d)["schema"] = {"type": "string"}
        schema(d, "ItemCreate")["properties"].pop("size")
        schema(d, "Item")["properties"].pop("note")

    old, new = changed(edit)
    found = rules(run(old, new, tmp_path))
    assert found["param-type-changed"].symbols == ("Shop.items.list(limit=...)",)
    assert found["request-property-removed"].symbols == ("shop.types.ItemCreate.size", "Shop.items.create(size=...)")
    assert found["response-property-removed"].symbols == ("shop.types.Item.note",)
    assert found["response-property-removed"].where.side == "old"


def test_sdk_change_not_explained_by_the_spec_is_reported(tmp_path: Path) -> None:
    """A new component takes the name of an inline response model: the SDK's return type
    changes although no shared schema changed; only the generated packages show it."""
    inline = {"type": "object", "properties": {"total": {"type": "integer"}}}

    def start() -> Doc:
        doc = base()
        op(doc, "/items", "get")["responses"] = _ok(inline)
        return doc

    old, new = changed(
        lambda d: d["components"]["schemas"].update(
            ItemsListResponse={"type": "object", "properties": {"z": {"type": "string"}}}
        ),
        start,
    )
    result = run(old, new, tmp_path, sdk=True)
    sdk = {c.rule: c for c in result.changes if c.sdk_only}
    assert sdk["sdk-return-type-changed"].symbols == ("Shop.items.list",)
    assert sdk["sdk-return-type-changed"].severity is Severity.BREAKING
    assert "ItemsListResponse" in sdk["sdk-return-type-changed"].message
    # the inline model's class lost its name to the component: its attribute is gone, although
    # a harmless change (the component added) names that class
    assert sdk["sdk-object-removed"].symbols == ("shop.types.ItemsListResponse.total",)


def test_a_failing_sdk_join_leaves_the_spec_diff_and_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.drift.diff as module

    def broken(*args: object) -> list[Change]:
        raise RuntimeError("griffe exploded")

    monkeypatch.setattr(module, "sdk_changes", broken)
    old, new = changed(lambda d: schema(d, "Item")["properties"].pop("note"))
    result = run(old, new, tmp_path, sdk=True)
    assert [c.rule for c in result.changes] == ["response-property-removed"]
    assert result.notes and "griffe exploded" in result.notes[0]
    assert "griffe exploded" in render(result, "markdown") and json.loads(render(result, "json"))["notes"]


# -- verdict ---------------------------------------------------------------------------------


def test_verdicts(tmp_path: Path) -> None:
    added = lambda d: schema(d, "Item")["properties"].update(sku={"type": "string"})  # noqa: E731
    assert run(*changed(added), tmp_path / "a").verdict.bump == "minor"
    removed = lambda d: schema(d, "Item")["properties"].pop("note")  # noqa: E731
    assert run(*changed(removed), tmp_path / "b").verdict.bump == "major"
    docs_only = lambda d: op(d, "/items", "get").update(summary="List items.")  # noqa: E731
    assert run(*changed(docs_only), tmp_path / "c").verdict.bump == "patch"
    errors_only = lambda d: op(d, "/items", "get")["responses"].update({"429": {"description": "slow"}})  # noqa: E731
    assert run(*changed(errors_only), tmp_path / "d").verdict.bump == "patch"
    relaxed = lambda d: with_required("ItemCreate", "name", False)(d)  # noqa: E731
    assert run(*changed(relaxed), tmp_path / "e").verdict.bump == "minor"
    narrower_response = with_required("Item", "note", True)
    assert run(*changed(narrower_response), tmp_path / "f").verdict.bump == "patch"


def test_possibly_breaking_is_minor_unless_strict(tmp_path: Path) -> None:
    old, new = changed(lambda d: prop(d, "Item", "status")["enum"].append("deleted"))
    lenient = run(old, new, tmp_path / "a")
    assert lenient.verdict.bump == "minor"
    assert any("possibly-breaking" in r for r in lenient.verdict.reasons)
    assert run(old, new, tmp_path / "b", strict=True).verdict.bump == "major"


# -- formats and exit codes ----------------------------------------------------------------


def _pair(tmp_path: Path, edit: Callable[[Doc], None]) -> tuple[str, str]:
    old, new = changed(edit)
    return str(write_spec(tmp_path / "old", old)), str(write_spec(tmp_path / "new", new))


def test_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = _pair(tmp_path, lambda d: (schema(d, "Item")["properties"].pop("note"), limit(d).update(required=True)))
    assert main(["diff", old, new, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["semver"] == "major"
    assert set(data) >= {"semver", "changes", "reasons", "summary", "old", "new"}
    assert data["summary"] == {B: 2, P: 0, N: 0}
    for change in data["changes"]:
        assert change["severity"] in (B, P, N)
        assert set(change["location"]) >= {"method", "path", "pointer"}
        assert isinstance(change["symbols"], list) and isinstance(change["rule"], str) and change["message"]
    by_rule = {c["rule"]: c for c in data["changes"]}
    assert by_rule["param-became-required"]["location"] == {
        "method": "GET",
        "path": "/items",
        "pointer": "/paths/~1items/get/parameters/0",
        "file": "openapi.yaml",
        "document": "new",
    }
    assert by_rule["param-became-required"]["symbols"] == ["Shop.items.list(limit=...)"]


@pytest.mark.parametrize(
    ("fail_on", "edit", "code"),
    [
        ("breaking", lambda d: schema(d, "Item")["properties"].pop("note"), 1),
        ("breaking", lambda d: prop(d, "Item", "status")["enum"].append("x"), 0),
        ("possibly-breaking", lambda d: prop(d, "Item", "status")["enum"].append("x"), 1),
        ("possibly-breaking", lambda d: schema(d, "Item")["properties"].update(sku={"type": "string"}), 0),
        ("any", lambda d: schema(d, "Item")["properties"].update(sku={"type": "string"}), 1),
        ("any", lambda d: None, 0),
    ],
)
def test_fail_on_exit_codes(
    fail_on: str, edit: Callable[[Doc], None], code: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = _pair(tmp_path, edit)
    assert main(["diff", old, new, "--fail-on", fail_on, "-q"]) == code
    assert main(["diff", old, new]) == 0  # without --fail-on the report never fails


def test_bad_input_exits_2_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = str(write_spec(tmp_path / "good", base()))
    broken = write_spec(tmp_path / "bad", base())
    broken.write_text(broken.read_text().replace("#/components/schemas/ItemList", "#/components/schemas/Nope"))
    # A broken $ref costs the new SDK the operation that needs it: the diff says so in a note.
    assert main(["diff", good, str(broken)]) == 0
    out = capsys.readouterr().out
    assert "note: new (" in out and "#/paths/~1items/get/responses/200/content/application~1json/schema/$ref" in out
    assert "[operation-removed] GET /items removed" in out and "Traceback" not in out
    broken.write_text("openapi: 3.1.0\ninfo: [")
    assert main(["diff", good, str(broken)]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert main(["diff", good, str(tmp_path / "missing.yaml")]) == 2
    assert "no such spec file or target" in capsys.readouterr().err
    assert main(["diff", good]) == 2


def test_text_github_and_junit_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = _pair(
        tmp_path, lambda d: (schema(d, "Item")["properties"].pop("note"), prop(d, "Item", "status")["enum"].append("x"))
    )
    assert main(["diff", old, new]) == 0
    text = capsys.readouterr().out
    assert "semver: major" in text and "[response-property-removed]" in text and "shop.types.Item.note" in text

    assert main(["diff", old, new, "--format", "github"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("::error title=sdkgen diff%3A major::SDK version bump: major")  # the verdict first
    error = next(x for x in lines[1:] if x.startswith("::error "))
    assert "title=breaking%3A response-property-removed" in error
    line = int(error.split("line=")[1].split(",")[0])
    assert Path(old).read_text().splitlines()[line - 1].strip() == "note:"  # the removed property, in the old file
    assert any(x.startswith("::warning ") and "response-enum-value-added" in x for x in lines)

    out = tmp_path / "report.xml"
    assert main(["diff", old, new, "--format", "junit", "--fail-on", "possibly-breaking", "-o", str(out), "-q"]) == 1
    suite = ET.parse(out).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "2" and suite.get("failures") == "2"
    assert {f.get("type") for f in suite.iter("failure")} == {"response-property-removed", "response-enum-value-added"}


def test_targets_and_api_versions_resolve(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for version, edit in (("v1", lambda d: None), ("v2", lambda d: schema(d, "Item")["properties"].pop("note"))):
        doc = base()
        edit(doc)
        write_spec(tmp_path / "spec" / "shop" / version, doc)
    (tmp_path / "pyproject.toml").write_text(
        '[[tool.sdkgen.targets]]\nname = "shop"\nspec = "spec/shop/v2/openapi.yaml"\npackage-name = "shopsdk"\nclient-name = "ShopClient"\n'
    )
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        assert main(["diff", "--api-version", "v1", "v2", "--format", "json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["old"] == {"label": "shop v1", "spec": "spec/shop/v1/openapi.yaml"}
        assert data["changes"][0]["symbols"] == ["shopsdk.types.Item.note"]  # the target's package name
        assert main(["diff", "spec/shop/v1/openapi.yaml", "shop", "--format", "json"]) == 0
        assert json.loads(capsys.readouterr().out)["new"]["label"] == "shop"
        assert main(["diff", "--api-version", "v1", "v9"]) == 2
        assert "versions: v1, v2" in capsys.readouterr().err
    finally:
        os.chdir(cwd)


# -- the real upgrade ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def polytomic() -> DiffResult:
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        from generator.config import load_targets
        from generator.drift.diff import resolve_version

        targets = load_targets(ROOT / "pyproject.toml")
        # The same sides as `nox -s drift` (`sdkgen diff --api polytomic --api-version OLD NEW`).
        return diff(
            resolve_version("polytomic", "2024-02-08", targets, ROOT),
            resolve_version("polytomic", "2025-09-18", targets, ROOT),
        )
    finally:
        os.chdir(cwd)


def test_polytomic_upgrade_is_major_with_endpoints_and_pagination(polytomic: DiffResult) -> None:
    assert polytomic.verdict.bump == "major"
    found = {(c.rule, c.where.method, c.where.path) for c in polytomic.changes}
    assert ("operation-removed", "PUT", "/api/syncs/{sync_id}/executions/{id}") in found
    assert ("operation-removed", "GET", "/api/connections/{id}/modelsync/target") in found
    assert ("operation-added", "GET", "/api/organization/users") in found
    assert ("operation-path-changed", "POST", "/api/organizations/{org_id}/connections/{connection_id}/shared") in found
    renames = {c.symbols for c in polytomic.changes if c.rule == "operation-id-changed"}
    assert ("Polytomic.models.remove", "Polytomic.models.delete") in renames and len(renames) == 9
    paginated = {s for c in polytomic.changes for s in c.symbols if s.startswith("Polytomic.model_sync.list(")}
    assert paginated == {"Polytomic.model_sync.list(page_token=...)", "Polytomic.model_sync.list(limit=...)"}
    assert any(
        c.rule == "response-property-added" and "pagination" in c.message and "Polytomic.model_sync.list" in c.symbols
        for c in polytomic.changes
    )
    became = {
        (c.where.method, c.where.path, c.symbols) for c in polytomic.changes if c.rule == "operation-became-paginated"
    }
    assert became == {("GET", "/api/syncs", ("Polytomic.model_sync.list",))}  # the others paged in 2024 already
    renamed = {c.symbols for c in polytomic.changes if c.rule == "schema-renamed"}
    assert ("polytomic.types.ModelSyncResponse", "polytomic.types.SyncResponse") in renamed
    version = next(c for c in polytomic.changes if c.rule == "version-header-changed")
    assert "'2025-09-18' (was '2024-02-08')" in version.message


def test_polytomic_report_is_current(polytomic: DiffResult) -> None:
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        expected = render(polytomic, "markdown", full_report=FULL_REPORT.name)
        expected_full = render(polytomic, "markdown-full")
    finally:
        os.chdir(cwd)
    if os.environ.get("SDKGEN_UPDATE_REPORTS"):
        REPORT.write_text(expected, encoding="utf-8")
        FULL_REPORT.write_text(expected_full, encoding="utf-8")
    actual = REPORT.read_text(encoding="utf-8") if REPORT.exists() else ""
    actual_full = FULL_REPORT.read_text(encoding="utf-8") if FULL_REPORT.exists() else ""
    assert (actual, actual_full) == (expected, expected_full), (
        f"{REPORT.relative_to(ROOT)} is stale; regenerate it with:\n"
        "  nox -s drift  (or: sdkgen diff --api polytomic --api-version 2024-02-08 2025-09-18 "
        "--format markdown -o docs/polytomic-2024-02-08-to-2025-09-18.md)"
    )


def test_polytomic_report_fits_a_pull_request_comment(polytomic: DiffResult) -> None:
    """GitHub refuses comments over 65,536 characters: the summary stays under 60,000, says the
    verdict in its first lines, lists the breaking changes before anything else, and groups the
    repeated findings (38 renames that drop a ``V4`` prefix, 99 error statuses no longer
    documented) into one row each."""
    report = render(polytomic, "markdown", full_report="full.md")
    assert len(report) <= 60_000
    head = report.splitlines()[:4]
    assert any("SDK version bump: major" in line for line in head), head
    assert report.index("### Breaking changes") < report.index("Non-breaking changes")
    assert "[full.md](full.md)" in report.split("### Breaking changes")[0]
    rows = [line for line in report.splitlines() if line.startswith("| `")]
    error_rows = [r for r in rows if r.startswith("| `error-status-removed` (")]
    assert any("error status 401" in r and int(r.split("(")[1].split(")")[0]) > 90 for r in error_rows), error_rows
    renames = [r for r in rows if r.startswith("| `schema-renamed` (")]
    assert len(renames) == 1 and renames[0].startswith("| `schema-renamed` (38)"), renames
    assert "`V4BulkSyncExecutionLogs` → `BulkSyncExecutionLogs`" in renames[0]
    # every breaking change is named in the summary, by its place or symbol
    breaking = report.split("### Breaking changes")[1].split("### Possibly")[0]
    assert "`Polytomic.connections.list_shared_connections(parent_connection_id=...)`" in breaking
    assert "DELETE /api/webhooks/{id}" in breaking


def test_old_side_from_another_checkout(tmp_path: Path) -> None:
    """CI compares the base branch's pin of a target with the pull request's pin."""
    import shutil
    import subprocess
    import sys

    for side, version in (("base", "2024-02-08"), ("head", "2025-09-18")):
        folder = tmp_path / side
        shutil.copytree(ROOT / "spec" / "polytomic" / version, folder / "spec" / "polytomic" / version)
        (folder / "pyproject.toml").write_text(
            f'[[tool.sdkgen.targets]]\nname = "polytomic"\napi = "polytomic"\napi-version = "{version}"\n'
            'package-name = "polytomic"\nclient-name = "Polytomic"\nversion-header = "X-Polytomic-Version"\n'
        )
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "diff",
            "polytomic",
            "polytomic",
            "--old-config",
            "../base/pyproject.toml",
            "--format",
            "json",
            "--fail-on",
            "breaking",
        ],
        cwd=tmp_path / "head",
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 1, out.stderr
    report = json.loads(out.stdout)
    assert report["semver"] == "major"
    assert any(c["rule"] == "operation-became-paginated" for c in report["changes"])


# -- property: a harmless change never lowers a verdict --------------------------------------


def _ops(d: Doc) -> list[Doc]:
    return [o for item in d["paths"].values() for o in item.values() if isinstance(o, dict) and "responses" in o]


def _nothing(d: Doc) -> None:
    pass


def _document_503(d: Doc) -> None:
    for o in _ops(d):
        o["responses"].setdefault("503", {"description": "down", "content": _json(_ref("Problem"))})


# Unrelated harmless changes: (edit of the old document, edit of the new one).
HARMLESS: dict[str, tuple[Callable[[Doc], None], Callable[[Doc], None]]] = {
    "error status added everywhere": (
        _nothing,
        lambda d: [o["responses"].setdefault("429", {"description": "slow"}) for o in _ops(d)],
    ),
    "error status (with a schema) no longer documented": (_document_503, _nothing),
    "summaries changed": (_nothing, lambda d: [o.update(summary="Reworded.") for o in _ops(d)]),
    "optional response property": (
        _nothing,
        lambda d: schema(d, "Item")["properties"].update(added={"type": "string"}),
    ),
    "new schema": (_nothing, lambda d: d["components"]["schemas"].update(Extra={"type": "object", "properties": {}})),
    "optional query parameter": (
        _nothing,
        lambda d: [
            o.setdefault("parameters", []).append({"name": "trace", "in": "query", "schema": {"type": "string"}})
            for o in _ops(d)
        ],
    ),
    "operations deprecated": (_nothing, lambda d: [o.update(deprecated=True) for o in _ops(d)]),
}
_RANK = {"patch": 0, "minor": 1, "major": 2}
_FLOOR = {B: "major", P: "minor", N: "patch"}


def _inline_list() -> Doc:
    doc = base()
    op(doc, "/items", "get")["responses"] = _ok({"type": "object", "properties": {"total": {"type": "integer"}}})
    return doc


# Breaking changes only the generated SDKs show (no spec rule names them).
SDK_ONLY: dict[str, tuple[Callable[[], Doc], Callable[[Doc], None]]] = {
    "a new component takes the inline response model's name": (
        _inline_list,
        lambda d: d["components"]["schemas"].update(
            ItemsListResponse={"type": "object", "properties": {"z": {"type": "string"}}}
        ),
    ),
}


def _labelled(case: str) -> tuple[Doc, Doc, str]:
    if case in SDK_ONLY:
        old, new = changed(SDK_ONLY[case][1], SDK_ONLY[case][0])
        return old, new, B
    if case in REVERSED:
        forward, _, severity = REVERSED[case]
        new, old = changed(CASES[forward][0])
        return old, new, severity
    edit, _, severity = CASES[case]
    old, new = changed(edit)
    return old, new, severity


@given(
    case=st.sampled_from(sorted(SDK_ONLY) * 8 + sorted(CASES) + sorted(REVERSED)),
    extra=st.lists(st.sampled_from(sorted(HARMLESS)), min_size=1, max_size=3, unique=True),
)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_an_unrelated_harmless_change_never_lowers_a_verdict(case: str, extra: list[str]) -> None:
    import tempfile

    old, new, severity = _labelled(case)
    old_more, new_more = copy.deepcopy(old), copy.deepcopy(new)
    for name in extra:
        HARMLESS[name][0](old_more)
        HARMLESS[name][1](new_more)
    with tempfile.TemporaryDirectory() as tmp:
        alone = run(old, new, Path(tmp) / "alone", sdk=True).verdict.bump
        both = run(old_more, new_more, Path(tmp) / "both", sdk=True).verdict.bump
    assert _RANK[alone] >= _RANK[_FLOOR[severity]], (case, alone)
    assert _RANK[both] >= _RANK[alone], (case, extra, alone, both)


# -- reports that fit where they are read ----------------------------------------------------


def _many(tmp_path: Path, per_severity: int) -> DiffResult:
    """A diff with ``per_severity`` distinct changes of each severity, none alike."""
    from generator.drift.changes import Where, verdict

    spec = write_spec(tmp_path / "spec", base())
    changes = []
    for severity in Severity:
        for i in range(per_severity):
            word = "".join(chr(97 + (i * 7 + k) % 26) for k in range(12))
            changes.append(
                Change(
                    f"rule-{severity.value}-{i % 7}",
                    severity,
                    f"{word} {i} changed in a way no other change is, with a long explanation " * 2,
                    Where("GET", f"/things/{i}", f"/paths/~1things~1{i}/get", "openapi.yaml"),
                    (f"Shop.things.get_{word}",),
                )
            )
    side = DiffInput("v1", Config(spec=spec))
    return DiffResult(side, side, tuple(changes), verdict(changes))


def test_markdown_summary_stays_under_the_comment_limit(tmp_path: Path) -> None:
    result = _many(tmp_path, 1500)
    report = render(result, "markdown", full_report="full.md")
    assert len(report) <= 60_000
    assert "**SDK version bump: major**" in "\n".join(report.splitlines()[:3])
    assert report.index("rule-breaking-") < report.index("rule-possibly-breaking-")
    assert "left out to stay under GitHub's comment limit" in report and "[full.md](full.md)" in report
    full = render(result, "markdown-full")
    assert all(c.message.strip() in full for c in result.changes[:50])


def test_github_format_verdict_first_ten_per_level_and_job_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.drift.annotations import github, write_job_summary

    result = _many(tmp_path, 40)
    lines = github(result).splitlines()
    assert lines[0].startswith("::error title=sdkgen diff%3A major::SDK version bump: major")
    for level in ("error", "warning", "notice"):
        mine = [x for x in lines if x.startswith(f"::{level} ")]
        assert len(mine) <= 10, level
        assert "more" in mine[-1] and "not annotated" in mine[-1]
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert write_job_summary(result) == summary
    text = summary.read_text()
    assert text.count("| `rule-") == 120  # the full table: every change, one row each

    old, new = _pair(tmp_path / "cli", lambda d: schema(d, "Item")["properties"].pop("note"))
    summary.unlink()
    assert main(["diff", old, new, "--format", "github", "--fail-on", "breaking"]) == 1
    assert capsys.readouterr().out.startswith("::error title=sdkgen diff%3A major::")
    assert "response-property-removed" in summary.read_text()


def test_markdown_output_file_links_its_full_report(tmp_path: Path) -> None:
    old, new = _pair(tmp_path, lambda d: schema(d, "Item")["properties"].pop("note"))
    out = tmp_path / "reports" / "api.md"
    assert main(["diff", old, new, "--format", "markdown", "-o", str(out), "-q"]) == 0
    full = tmp_path / "reports" / "api.full.md"
    assert "[api.full.md](api.full.md)" in out.read_text()
    assert "| `response-property-removed` |" in full.read_text()


@pytest.mark.parametrize("shape", ["inline body", "schema used both ways"])
def test_read_only_in_a_request_is_breaking_wherever_it_is_declared(shape: str, tmp_path: Path) -> None:
    def start() -> Doc:
        doc = base()
        post = op(doc, "/items", "post")
        if shape == "inline body":
            body = {"type": "object", "properties": {"size": {"type": "integer"}, "name": {"type": "string"}}}
            post["requestBody"]["content"] = _json(body)
        else:
            post["responses"] = _ok(_ref("ItemCreate"))  # ItemCreate now travels both ways
        return doc

    def edit(d: Doc) -> None:
        post = op(d, "/items", "post")
        if shape == "inline body":
            post["requestBody"]["content"]["application/json"]["schema"]["properties"]["size"]["readOnly"] = True
        else:
            prop(d, "ItemCreate", "size")["readOnly"] = True

    result = run(*changed(edit, start), tmp_path, sdk=True)
    change = rules(result)["request-property-became-read-only"]
    assert change.severity is Severity.BREAKING and "keyword argument is gone" in change.message
    assert "Shop.items.create(size=...)" in change.symbols
    assert change.where.pointer.endswith("/properties/size")
    assert result.verdict.bump == "major"
