"""The document is checked against the OpenAPI schema by jsonschema-rs first; jsonschema's own
walk (whose findings and wording the diagnostics use) runs only when that check fails.  The
shortcut is sound only if jsonschema-rs never passes a document jsonschema would fault."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.loader import load, spec_validator
from tests.conftest import write_spec

BASE: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Shop", "version": "1.0", "license": {"name": "MIT"}},
    "servers": [{"url": "https://{region}.shop.test", "variables": {"region": {"default": "eu", "enum": ["eu"]}}}],
    "tags": [{"name": "orders"}],
    "paths": {
        "/orders/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {
                "operationId": "getOrder",
                "tags": ["orders"],
                "parameters": [
                    {
                        "name": "expand",
                        "in": "query",
                        "style": "form",
                        "explode": False,
                        "schema": {"type": "array", "items": {"type": "string"}},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}},
                    },
                    "4XX": {
                        "description": "error",
                        "headers": {"X-Rate": {"schema": {"type": "integer", "minimum": 0}}},
                    },
                    "default": {"description": "other"},
                },
                "security": [{"key": []}],
            },
            "post": {
                "operationId": "updateOrder",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Order"}},
                        "multipart/form-data": {
                            "schema": {"type": "object"},
                            "encoding": {"file": {"contentType": "image/png"}},
                        },
                    },
                },
                "responses": {"204": {"description": "done"}},
                "callbacks": {
                    "done": {"{$request.body#/url}": {"post": {"responses": {"200": {"description": "ok"}}}}}
                },
            },
        }
    },
    "components": {
        "schemas": {
            "Order": {
                "type": "object",
                "required": ["id"],
                "discriminator": {"propertyName": "kind", "mapping": {"a": "#/components/schemas/Order"}},
                "properties": {
                    "id": {"type": "string", "readOnly": True, "maxLength": 10, "pattern": "^[a-z]+$"},
                    "kind": {"type": "string", "enum": ["a", "b"], "nullable": True},
                    "total": {"type": "number", "multipleOf": 0.5, "exclusiveMinimum": True, "minimum": 0},
                    "lines": {
                        "type": "array",
                        "minItems": 1,
                        "uniqueItems": True,
                        "items": {"oneOf": [{"type": "integer"}, {"not": {"type": "string"}}]},
                    },
                    "meta": {"type": "object", "additionalProperties": {"type": "string"}, "xml": {"name": "m"}},
                },
                "example": {"id": "abc"},
            }
        },
        "parameters": {"limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 10}}},
        "securitySchemes": {
            "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
            "oauth": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://t.test", "scopes": {}}}},
        },
    },
}

# Values a mutation may put anywhere: every JSON type, and the ones draft 4 and JSON Schema
# implementations are known to disagree on (1.0 as an integer, booleans as numbers).
VALUES: list[Any] = [None, True, False, 0, 1, -1, 1.0, 2.5, "", "x", "^(", "query", [], ["a"], {}, {"type": "string"}]
KEYS = ["x-extra", "extra", "$ref", "200", "2XX", "99", "default", "type", "in", "required", "nullable", "/new", "a b"]


def _containers(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if isinstance(node, (dict, list)) else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _containers(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _containers(value, (*path, index))
    return found


def _at(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        doc = doc[part]
    return doc


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    doc = copy.deepcopy(BASE)
    if draw(st.booleans()):
        doc["openapi"] = "3.1.0"
    for _ in range(draw(st.integers(1, 3))):
        target = _at(doc, draw(st.sampled_from(_containers(doc))))
        action = draw(st.sampled_from(["set", "add", "delete"]))
        if isinstance(target, dict):
            if action == "delete" and target:
                del target[draw(st.sampled_from(sorted(target)))]
            elif action == "set" and target:
                target[draw(st.sampled_from(sorted(target)))] = copy.deepcopy(draw(st.sampled_from(VALUES)))
            else:
                target[draw(st.sampled_from(KEYS))] = copy.deepcopy(draw(st.sampled_from(VALUES)))
        elif target and action != "add":
            index = draw(st.integers(0, len(target) - 1))
            if action == "delete":
                del target[index]
            else:
                target[index] = copy.deepcopy(draw(st.sampled_from(VALUES)))
        else:
            target.append(copy.deepcopy(draw(st.sampled_from(VALUES))))
    return doc


def _minor(doc: dict[str, Any]) -> int:
    return 1 if str(doc.get("openapi")).startswith("3.1") else 0


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_the_fast_check_never_passes_what_jsonschema_faults(doc: dict[str, Any]) -> None:
    meta, fast = spec_validator._meta_validators(_minor(doc))
    jsonschema_valid = next(iter(meta.iter_errors(doc)), None) is None
    if spec_validator._surely_valid(fast, doc):
        assert jsonschema_valid, "jsonschema-rs passed a document jsonschema faults"


def test_the_base_document_takes_the_fast_path() -> None:
    """Otherwise the property above would hold vacuously."""
    for version in ("3.0.3", "3.1.0"):
        doc = {**copy.deepcopy(BASE), "openapi": version}
        _, fast = spec_validator._meta_validators(_minor(doc))
        assert spec_validator._surely_valid(fast, doc)


def test_what_the_fast_check_cannot_take_goes_to_jsonschema() -> None:
    _, fast = spec_validator._meta_validators(0)
    assert not spec_validator._surely_valid(fast, {1: "a key that is not a string"})
    assert not spec_validator._surely_valid(None, copy.deepcopy(BASE))


class _Spy:
    """jsonschema's validator, counting the documents it walks."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.walks = 0

    def iter_errors(self, instance: Any) -> Any:
        self.walks += 1
        return self.inner.iter_errors(instance)


def _findings(path: Path) -> list[str]:
    items = load(path).validated().diagnostics
    return sorted(f"{d.level.name} {d.file}#{d.pointer} {d.message}" for d in items)


def test_findings_are_jsonschemas_and_a_valid_document_skips_its_walk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = write_spec(tmp_path / "good", copy.deepcopy(BASE))
    doc = copy.deepcopy(BASE)
    doc["paths"]["/orders/{id}"]["get"]["responses"]["99"] = {"description": "not a status"}
    doc["components"]["schemas"]["Order"]["properties"]["id"]["maxLength"] = "ten"
    bad = write_spec(tmp_path / "bad", doc)
    real = spec_validator._meta_validators
    spy = _Spy(real(0)[0])
    fast_path = [True]
    monkeypatch.setattr(
        spec_validator, "_meta_validators", lambda minor: (spy, real(minor)[1] if fast_path[0] else None)
    )

    assert _findings(good) == []
    assert spy.walks == 0
    with_fast_path = _findings(bad)
    assert spy.walks == 1
    fast_path[0] = False
    assert _findings(good) == []
    assert spy.walks == 2
    assert _findings(bad) == with_fast_path
    assert any("/responses" in line for line in with_fast_path), with_fast_path
    assert any("'ten'" in line for line in with_fast_path), with_fast_path
