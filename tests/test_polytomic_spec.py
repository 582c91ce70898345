"""Checks of the hand-authored Polytomic OpenAPI documents.

* both documents are valid (openapi-spec-validator, zero errors);
* coverage against the fact inventory in ``spec/polytomic/tools/facts/``: every
  operation (method + path) and nothing else, every type with the same
  property names, required flags, enum values and JSON types;
* the conventions the generator relies on (operationIds, tags, headers,
  error responses, pagination, PUT vs PATCH);
* the response examples validate against their schemas, with unknown
  properties rejected;
* the committed YAML is exactly what ``spec/polytomic/tools/build.py`` writes.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
FACTS = REPO / "spec" / "polytomic" / "tools" / "facts"
SPEC_DIR = REPO / "spec" / "polytomic"
BUILD_SCRIPT = SPEC_DIR / "tools" / "build.py"

VERSIONS: dict[str, dict[str, str]] = {
    "2025-09-18": {"openapi": "3.1.0", "inventory": "api-inventory.json"},
    "2024-02-08": {"openapi": "3.0.3", "inventory": "api-inventory-sdk-1.18.0.json"},
}
EXPECTED_COUNTS = {"2025-09-18": (127, 228), "2024-02-08": (114, 210)}
MODEL_GROUPS = ("models", "model_sync")
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

version_param = pytest.mark.parametrize("version", sorted(VERSIONS))


# ----------------------------------------------------------------- loading


def spec_path(version: str) -> Path:
    return SPEC_DIR / version / "openapi.yaml"


@cache
def spec_text(version: str) -> str:
    return spec_path(version).read_text(encoding="utf-8")


@cache
def _spec(version: str) -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available
    doc: dict[str, Any] = yaml.load(spec_text(version), Loader=loader)
    return doc


def spec(version: str) -> dict[str, Any]:
    return copy.deepcopy(_spec(version))


@cache
def _inventory(version: str) -> dict[str, Any]:
    with (FACTS / VERSIONS[version]["inventory"]).open(encoding="utf-8") as fh:
        inv: dict[str, Any] = json.load(fh)
    return inv


def inventory(version: str) -> dict[str, Any]:
    return _inventory(version)


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in HTTP_METHODS:
                yield method.upper(), path, op


def resolve(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        parts = node["$ref"].lstrip("#/").split("/")
        node = doc
        for p in parts:
            node = node[p]
    return node


def ref_name(node: dict[str, Any]) -> str | None:
    r = node.get("$ref")
    return str(r).rsplit("/", 1)[1] if r else None


def inv_op_map(version: str) -> dict[tuple[str, str], dict[str, Any]]:
    return {(o["http_method"], o["path"]): o for o in inventory(version)["operations"]}


def docs_page(version: str, op: dict[str, Any]) -> dict[str, Any] | None:
    for p in inventory(version).get("docs_pages", []):
        if p["http_method"] == op["http_method"] and p["path"] == op["path"]:
            page: dict[str, Any] = p
            return page
    return None


# ------------------------------------------------------------- validation


@version_param
def test_document_is_valid_openapi(version: str) -> None:
    from openapi_spec_validator import validate

    doc = spec(version)
    assert doc["openapi"] == VERSIONS[version]["openapi"]
    validate(doc, base_uri=spec_path(version).as_uri())


@version_param
def test_document_header_and_layout(version: str) -> None:
    text = spec_text(version)
    text.encode("ascii")  # pure ASCII
    doc = _spec(version)
    assert list(doc) == [
        "openapi",
        "info",
        "servers",
        "security",
        "tags",
        "paths",
        "components",
    ]
    assert doc["info"]["title"] == "Polytomic API"
    assert doc["info"]["version"] == version
    assert doc["servers"][0]["url"] == "https://app.polytomic.com"
    assert "on-premises" in doc["servers"][0]["description"].lower()
    assert list(doc["paths"]) == sorted(doc["paths"])
    assert list(doc["components"]["schemas"]) == sorted(doc["components"]["schemas"])
    # no anchors, aliases or custom tags
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        assert not re.search(r"(^|[\s:\-\[,])[&*][A-Za-z0-9_]", line), line
        assert not re.search(r"(^|\s)![A-Za-z]", line), line
    assert text.startswith(f"# Polytomic API {version}")


@version_param
def test_security_schemes_and_version_header(version: str) -> None:
    doc = _spec(version)
    schemes = doc["components"]["securitySchemes"]
    assert schemes["bearerAuth"]["type"] == "http" and schemes["bearerAuth"]["scheme"] == "bearer"
    assert schemes["basicAuth"]["type"] == "http" and schemes["basicAuth"]["scheme"] == "basic"
    assert doc["security"] == [{"bearerAuth": []}, {"basicAuth": []}]
    header = doc["components"]["parameters"]["PolytomicVersion"]
    assert header["in"] == "header" and header["name"] == "X-Polytomic-Version"
    assert header["required"] is False
    assert header["schema"] == {"type": "string", "default": version}
    assert "X-Polytomic-Version: declared optional" in spec_text(version)
    for method, path, op in operations(doc):
        refs = [p.get("$ref") for p in op.get("parameters", [])]
        assert refs.count("#/components/parameters/PolytomicVersion") == 1, (
            method,
            path,
        )


# --------------------------------------------------------------- coverage


@version_param
def test_counts_match_inventory(version: str) -> None:
    inv = inventory(version)
    doc = _spec(version)
    n_ops, n_types = EXPECTED_COUNTS[version]
    assert len(inv["operations"]) == n_ops and len(inv["types"]) == n_types
    assert len(list(operations(doc))) == n_ops
    assert {t["name"] for t in inv["types"]} <= set(doc["components"]["schemas"])


@version_param
def test_operations_match_inventory(version: str) -> None:
    doc = _spec(version)
    inv_ops = inv_op_map(version)
    spec_ops = {(m, p): op for m, p, op in operations(doc)}
    missing = sorted(set(inv_ops) - set(spec_ops))
    extra = sorted(set(spec_ops) - set(inv_ops))
    assert not missing, f"operations missing from the spec: {missing}"
    assert not extra, f"operations not in the inventory: {extra}"
    declared_tags = [t["name"] for t in doc["tags"]]
    assert sorted(declared_tags) == sorted({o["group"] for o in inv_ops.values()})
    assert all(t.get("description") for t in doc["tags"])
    ids = [op["operationId"] for op in spec_ops.values()]
    assert len(ids) == len(set(ids))
    for key, inv_op in inv_ops.items():
        op = spec_ops[key]
        assert op["operationId"] == inv_op["id"], key
        assert op["tags"] == [inv_op["group"]], key
        assert op.get("summary"), key


@version_param
def test_parameters_match_inventory(version: str) -> None:
    doc = _spec(version)
    spec_ops = {(m, p): op for m, p, op in operations(doc)}
    for key, inv_op in inv_op_map(version).items():
        op = spec_ops[key]
        params = [resolve(doc, p) for p in op.get("parameters", [])]
        by_loc: dict[str, dict[str, dict[str, Any]]] = {
            "path": {},
            "query": {},
            "header": {},
        }
        for p in params:
            assert p["name"] not in by_loc[p["in"]], (key, p["name"])
            by_loc[p["in"]][p["name"]] = p
        assert set(by_loc["path"]) == {p["name"] for p in inv_op["path_params"]}, key
        assert all(p["required"] is True for p in by_loc["path"].values()), key
        assert set(by_loc["query"]) == {q["name"] for q in inv_op["query_params"]}, key
        for q in inv_op["query_params"]:
            p = by_loc["query"][q["name"]]
            assert bool(p.get("required", False)) == bool(q["required"]), (
                key,
                q["name"],
            )
            if q.get("map"):
                assert p["style"] == "deepObject" and p["explode"] is True, (
                    key,
                    q["name"],
                )
                assert p["schema"]["type"] == "object" and "additionalProperties" in p["schema"]
            elif q.get("allow_multiple"):
                assert p["style"] == "form" and p["explode"] is True, (key, q["name"])
                assert p["schema"]["type"] == "array", (key, q["name"])
            elif q.get("enum_type"):
                assert ref_name(p["schema"]) == q["enum_type"], (key, q["name"])
            else:
                assert_type_matches(doc, q["json_type"], p["schema"], (key, q["name"]))
        inv_headers = {h["name"] for h in inv_op["header_params"]}
        assert set(by_loc["header"]) == inv_headers, key
        idem = any(p.get("$ref") == "#/components/parameters/IdempotencyKey" for p in op.get("parameters", []))
        assert idem == ("Idempotency-Key" in inv_headers), key
    uses_idem = any(
        "Idempotency-Key" in {h["name"] for h in o["header_params"]} for o in inventory(version)["operations"]
    )
    assert ("IdempotencyKey" in doc["components"]["parameters"]) == uses_idem
    if uses_idem:
        idem_param = doc["components"]["parameters"]["IdempotencyKey"]
        assert idem_param["in"] == "header" and idem_param["name"] == "Idempotency-Key"
        assert idem_param["required"] is False and idem_param["schema"] == {"type": "string"}


@version_param
def test_responses_match_inventory(version: str) -> None:
    doc = _spec(version)
    inv = inventory(version)
    error_bodies = {e["status_code"]: e["body_type"] for e in inv["errors"]}
    spec_ops = {(m, p): op for m, p, op in operations(doc)}
    for key, inv_op in inv_op_map(version).items():
        responses = spec_ops[key]["responses"]
        success = sorted(s for s in responses if s.startswith("2"))
        resp_type = (inv_op.get("response") or {}).get("type")
        if resp_type:
            assert success == ["200"], key
            media = responses["200"]["content"]["application/json"]
            assert ref_name(media["schema"]) == resp_type, key
        else:
            assert success == ["204"], key
            assert "content" not in responses["204"], key
        expected = {e["status"] for e in inv_op["errors"]}
        page = docs_page(version, inv_op)
        if page is not None and inv_op["group"].split(".")[0] in MODEL_GROUPS:
            expected |= {e["status"] for e in page["errors"]}
        declared = {int(s) for s in responses if not s.startswith("2")}
        assert declared == expected, (key, sorted(declared), sorted(expected))
        for status in declared:
            body = resolve(doc, responses[str(status)])["content"]["application/json"]
            assert ref_name(body["schema"]) == error_bodies[status], (key, status)


@version_param
def test_request_bodies_match_inventory(version: str) -> None:
    doc = _spec(version)
    spec_ops = {(m, p): op for m, p, op in operations(doc)}
    for key, inv_op in inv_op_map(version).items():
        op = spec_ops[key]
        body = inv_op.get("request_body")
        if body is None:
            assert "requestBody" not in op, key
            continue
        rb = op["requestBody"]
        assert list(rb["content"]) == ["application/json"], key
        schema = resolve(doc, rb["content"]["application/json"]["schema"])
        any_required = any(f["required"] for f in body["fields"])
        assert bool(rb.get("required", False)) == any_required, key
        assert set(schema.get("properties", {})) == {f["name"] for f in body["fields"]}, key
        assert set(schema.get("required", [])) == {f["name"] for f in body["fields"] if f["required"]}, key
        for f in body["fields"]:
            assert_type_matches(doc, f["json_type"], schema["properties"][f["name"]], (key, f))


@version_param
def test_types_match_inventory(version: str) -> None:
    doc = _spec(version)
    schemas = doc["components"]["schemas"]
    missing = sorted({t["name"] for t in inventory(version)["types"]} - set(schemas))
    assert not missing, f"types missing from components/schemas: {missing}"
    for t in inventory(version)["types"]:
        name = t["name"]
        assert name in schemas, f"type {name} missing from components/schemas"
        s = schemas[name]
        if t["kind"] == "object":
            assert s.get("type") == "object", name
            props = s.get("properties", {})
            inv_names = [f["name"] for f in t["fields"]]
            assert sorted(props) == sorted(inv_names), (
                name,
                sorted(props),
                sorted(inv_names),
            )
            inv_required = {f["name"] for f in t["fields"] if f["required"]}
            assert set(s.get("required", [])) == inv_required, name
            for f in t["fields"]:
                assert_type_matches(doc, f["json_type"], props[f["name"]], (name, f["name"]))
                if f["required"]:
                    assert not is_nullable(props[f["name"]]), (name, f["name"])
        elif t["kind"] == "enum":
            assert s.get("type") == "string", name
            assert s.get("enum") == t["values"], name
            assert bool(s.get("x-enum-open", False)) == bool(t.get("open")), name
        elif t["kind"] == "union":
            members = s.get("anyOf") or s.get("oneOf")
            assert members is not None, name
            assert len(members) == len(t["members"]), name
            for m, node in zip(t["members"], members, strict=True):
                assert_type_matches(doc, m, node, (name, m))
        elif t["kind"] == "alias":
            assert_type_matches(doc, t["json_type"], s, name)
        else:  # pragma: no cover - the inventory has no other kinds
            raise AssertionError("unknown kind {}".format(t["kind"]))


@version_param
def test_extra_schemas_are_request_bodies(version: str) -> None:
    """Schemas beyond the inventory types may only be named request bodies."""
    doc = _spec(version)
    inv_types = {t["name"] for t in inventory(version)["types"]}
    body_refs: set[str] = set()
    for _, _, op in operations(doc):
        rb = op.get("requestBody")
        if rb:
            name = ref_name(rb["content"]["application/json"]["schema"])
            assert name, "request bodies must be component schemas"
            body_refs.add(name)
    extra = set(doc["components"]["schemas"]) - inv_types
    assert extra <= body_refs, sorted(extra - body_refs)


# -------------------------------------------------------------- type check


def is_nullable(node: dict[str, Any]) -> bool:
    t = node.get("type")
    return node.get("nullable") is True or (isinstance(t, list) and "null" in t)


def base_type(node: dict[str, Any]) -> str | None:
    t = node.get("type")
    if isinstance(t, list):
        rest = [x for x in t if x != "null"]
        assert len(rest) == 1, node
        return str(rest[0])
    return None if t is None else str(t)


def _split_top(s: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in s:
        depth += ch == "<"
        depth -= ch == ">"
        if ch == "|" and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    return [*parts, cur]


def assert_type_matches(doc: dict[str, Any], jt: str, node: dict[str, Any], where: Any) -> None:
    """Fail unless ``node`` is the schema of inventory json_type ``jt``."""
    scalars = {
        "string": "string",
        "integer": "integer",
        "number": "number",
        "boolean": "boolean",
    }
    if jt in scalars:
        assert base_type(node) == scalars[jt], (where, jt, node)
    elif jt == "any":
        assert "type" not in node and "$ref" not in node, (where, jt, node)
    elif jt == "string<date-time>":
        assert base_type(node) == "string" and node.get("format") == "date-time", (
            where,
            node,
        )
    elif jt.startswith("ref:"):
        assert ref_name(node) == jt[4:], (where, jt, node)
        assert jt[4:] in doc["components"]["schemas"], (where, jt)
    elif jt.startswith("array<"):
        assert base_type(node) == "array", (where, jt, node)
        assert_type_matches(doc, jt[6:-1], node["items"], where)
    elif jt.startswith("map<"):
        assert base_type(node) == "object", (where, jt, node)
        assert_type_matches(doc, jt[4:-1], node["additionalProperties"], where)
    elif jt.startswith("union<"):
        members = node.get("anyOf") or node.get("oneOf")
        parts = _split_top(jt[6:-1])
        assert members is not None and len(members) == len(parts), (where, jt, node)
        for part, member in zip(parts, members, strict=True):
            assert_type_matches(doc, part, member, where)
    elif jt.startswith("enum<"):
        assert node.get("enum") == _split_top(jt[5:-1]), (where, jt, node)
    else:  # pragma: no cover
        raise AssertionError(f"unknown json_type {jt} at {where}")


# ------------------------------------------------------------- conventions


@version_param
def test_docs_facts_applied(version: str) -> None:
    """Docs pages: 401 extras, uuid formats and the "or null" marks of model bodies."""
    doc = _spec(version)
    schemas = doc["components"]["schemas"]
    list_models = doc["paths"]["/api/models"]["get"]
    assert "401" in list_models["responses"] and "404" in list_models["responses"]
    assert "401" in doc["paths"]["/api/syncs"]["get"]["responses"]
    source = doc["paths"]["/api/connections/{id}/modelsync/source"]["get"]
    assert "401" in source["responses"]
    for node in (
        source["parameters"][0],
        doc["paths"]["/api/models/{id}"]["put"]["parameters"][0],
    ):
        assert node["in"] == "path" and node["schema"]["format"] == "uuid"
    params = {p["name"]: p for p in source["parameters"] if "name" in p}
    assert params["params"]["style"] == "deepObject"
    assert params["params"]["schema"]["additionalProperties"]["type"] == "array"
    for body in ("CreateModelRequest", "UpdateModelRequest"):
        props = schemas[body]["properties"]
        nullable = sorted(n for n, p in props.items() if is_nullable(p))
        assert nullable == [
            "additional_fields",
            "fields",
            "labels",
            "organization_id",
            "policies",
            "relations",
            "tracking_columns",
        ], body
        assert props["connection_id"]["format"] == "uuid"
        assert props["organization_id"]["format"] == "uuid"


@version_param
def test_put_updates_and_single_patch(version: str) -> None:
    doc = _spec(version)
    patches = [(m, p) for m, p, _ in operations(doc) if m == "PATCH"]
    assert patches == [("PATCH", "/api/bulk/syncs/{id}/schemas")]
    update = doc["paths"]["/api/models/{id}"]["put"]
    assert update["operationId"] == "models.update"
    params = {p.get("name"): p for p in update["parameters"]}
    assert params["async"]["in"] == "query"
    assert "refresh" not in params  # refresh is a body field (docs + SDK)
    body = resolve(doc, update["requestBody"]["content"]["application/json"]["schema"])
    assert "refresh" in body["properties"]
    assert "full replacement" in update["description"]
    assert "PUT, not PATCH" in spec_text(version)
    assert doc["paths"]["/api/syncs/{id}"]["put"]["operationId"] == "model_sync.update"


def test_pagination_by_version() -> None:
    new, old = _spec("2025-09-18"), _spec("2024-02-08")
    op = new["paths"]["/api/syncs"]["get"]
    params = {p.get("name"): p for p in op["parameters"]}
    assert params["page_token"]["schema"]["type"] == "string"
    assert params["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 50}
    envelope = new["components"]["schemas"]["ListSyncResponseEnvelope"]
    assert ref_name(envelope["properties"]["pagination"]) == "PaginationDetails"
    pagination = new["components"]["schemas"]["PaginationDetails"]
    assert "next_page_token" in pagination["properties"]
    old_params = {p.get("name") for p in old["paths"]["/api/syncs"]["get"]["parameters"]}
    assert not {"page_token", "limit"} & old_params
    for doc in (new, old):
        # documented in prose only, not modelled by the SDK: no pagination params
        for path in ("/api/models", "/api/bulk/syncs"):
            names = {p.get("name") for p in doc["paths"][path]["get"]["parameters"]}
            assert not {"page_token", "limit"} & names, path
        execs = doc["paths"]["/api/bulk/syncs/{id}/executions"]["get"]["parameters"]
        limit = next(p for p in execs if p.get("name") == "limit")
        assert limit["schema"]["maximum"] == 100


def test_version_specific_operation_ids() -> None:
    new, old = _spec("2025-09-18"), _spec("2024-02-08")
    assert new["paths"]["/api/models/{id}"]["delete"]["operationId"] == "models.delete"
    assert old["paths"]["/api/models/{id}"]["delete"]["operationId"] == "models.remove"
    assert "PUT" not in {m.upper() for m in new["paths"]["/api/syncs/{sync_id}/executions/{id}"]}
    assert "put" in old["paths"]["/api/syncs/{sync_id}/executions/{id}"]
    assert "/api/syncs/{sync_id}/executions/{id}/cancel" in new["paths"]
    assert "/api/syncs/{sync_id}/executions/{id}/cancel" not in old["paths"]
    unauthorized = old["components"]["responses"]["Unauthorized"]
    assert ref_name(unauthorized["content"]["application/json"]["schema"]) == "RestErrResponse"
    assert "IdempotencyKey" not in old["components"]["parameters"]


# ---------------------------------------------------------------- examples


def _strict(node: Any) -> Any:
    """Copy of a schema tree where objects with properties reject unknown keys."""
    if isinstance(node, dict):
        out = {k: _strict(v) for k, v in node.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(node, list):
        return [_strict(v) for v in node]
    return node


@cache
def _example_validator_factory(version: str):  # type: ignore[no-untyped-def]
    from openapi_schema_validator import (
        OAS30Validator,
        OAS31Validator,
        oas30_format_checker,
        oas31_format_checker,
    )
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4, DRAFT202012

    doc = {"components": _strict(_spec(version)["components"])}
    is31 = VERSIONS[version]["openapi"].startswith("3.1")
    resource = Resource.from_contents(doc, default_specification=DRAFT202012 if is31 else DRAFT4)
    registry = Registry().with_resource("urn:polytomic-spec", resource)
    cls, checker = (OAS31Validator, oas31_format_checker) if is31 else (OAS30Validator, oas30_format_checker)

    def make(schema_ref: str):  # type: ignore[no-untyped-def]
        target = "urn:polytomic-spec" + schema_ref
        return cls({"$ref": target}, registry=registry, format_checker=checker)

    return make


def response_examples(version: str) -> Iterator[tuple[str, str, str, Any, str]]:
    doc = _spec(version)
    for method, path, op in operations(doc):
        for resp in op["responses"].values():
            resp = resolve(doc, resp)
            for media in resp.get("content", {}).values():
                if "example" in media:
                    yield (
                        method,
                        path,
                        op["operationId"],
                        media["example"],
                        media["schema"]["$ref"],
                    )


@version_param
def test_examples_validate_against_schemas(version: str) -> None:
    make = _example_validator_factory(version)
    seen = 0
    problems = []
    for method, path, op_id, example, schema_ref in response_examples(version):
        seen += 1
        for err in make(schema_ref).iter_errors(example):
            problems.append(
                "{} {} ({}): {} at {}".format(
                    method,
                    path,
                    op_id,
                    err.message,
                    "/".join(map(str, err.absolute_path)),
                )
            )
    assert seen > 0
    assert not problems, "\n".join(problems)


@version_param
def test_every_model_operation_has_an_example(version: str) -> None:
    doc = _spec(version)
    missing = []
    for method, path, op in operations(doc):
        if op["tags"][0].split(".")[0] not in MODEL_GROUPS:
            continue
        ok = op["responses"].get("200")
        if ok is None:
            continue  # 204: no body to show
        if "example" not in ok["content"]["application/json"]:
            missing.append(f"{method} {path}")
    assert not missing, missing


def test_strict_example_check_catches_unknown_keys() -> None:
    make = _example_validator_factory("2025-09-18")
    validator = make("#/components/schemas/ModelResponseEnvelope")
    assert list(validator.iter_errors({"data": {"id": "x", "not_a_field": 1}}))
    assert not list(validator.iter_errors({"data": {"id": "x", "labels": None}}))


# ------------------------------------------------------------------- build


def test_committed_documents_are_build_output() -> None:
    spec_ = importlib.util.spec_from_file_location("polytomic_spec_build", BUILD_SCRIPT)
    assert spec_ is not None and spec_.loader is not None
    build = importlib.util.module_from_spec(spec_)
    spec_.loader.exec_module(build)
    for target in build.TARGETS:
        expected = build.render(target, FACTS)
        assert spec_text(target["version"]) == expected, "{} is stale: run python spec/polytomic/tools/build.py".format(
            target["version"]
        )


def test_overlay_keys_name_existing_things() -> None:
    """Every overlay entry must apply to at least one of the two documents."""
    overlays = SPEC_DIR / "tools" / "overlays"

    def load(name: str) -> dict[str, Any]:
        data: dict[str, Any] = yaml.safe_load((overlays / name).read_text("utf-8"))
        return data

    ops: set[str] = set()
    params: set[tuple[str, str]] = set()
    props: set[str] = set()
    schemas: set[str] = set()
    tags: set[str] = set()
    for version in VERSIONS:
        doc = _spec(version)
        tags |= {t["name"] for t in doc["tags"]}
        for name, s in doc["components"]["schemas"].items():
            schemas.add(name)
            props |= {f"{name}.{p}" for p in s.get("properties", {})}
        for method, path, op in operations(doc):
            key = f"{method} {path}"
            ops.add(key)
            for p in op["parameters"]:
                if "name" in p:
                    params.add((key, p["name"]))
    desc = load("descriptions.yaml")
    assert set(desc["tags"]) == tags
    assert set(desc["operations"]) == ops
    assert set(desc["schemas"]) <= schemas, sorted(set(desc["schemas"]) - schemas)
    assert set(desc["fields"]) <= props, sorted(set(desc["fields"]) - props)
    for key, names in desc["operation_parameters"].items():
        for name in names:
            assert (key, name) in params, (key, name)
    generic = {name for _, name in params}
    assert set(desc["parameters"]) <= generic, sorted(set(desc["parameters"]) - generic)
    bodies = load("request_bodies.yaml")
    assert set(bodies) <= ops, sorted(set(bodies) - ops)
    decisions = load("decisions.yaml")
    for key, names in decisions["parameter_constraints"].items():
        for name in names:
            assert (key, name) in params, (key, name)
    assert set(decisions["fixtures"]) <= ops
    assert set(load("examples.yaml")["examples"]) <= ops
