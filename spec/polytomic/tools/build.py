#!/usr/bin/env python3
"""Build the Polytomic OpenAPI documents from the fact inventory.

Usage::

    python spec/polytomic/tools/build.py            # (re)write both documents
    python spec/polytomic/tools/build.py --check    # exit 1 if a document is stale
    python spec/polytomic/tools/build.py --facts DIR

Inputs:
  * the fact inventory in ``facts/`` beside this script, a copy of the shared
    Polytomic fact inventory (``api-inventory.json`` for 2025-09-18, ``api-inventory-sdk-1.18.0.json``
    for 2024-02-08, the ``fixtures/`` folder);
  * the hand-written overlays in ``overlays/`` beside this script
    (descriptions, request body names, authoring decisions, examples).

Outputs: ``spec/polytomic/<version>/openapi.yaml``.

Facts (methods, paths, parameters, fields, types, enums, required flags,
status codes) are copied from the inventory; nothing in the overlays can
change them.  The output is deterministic (same inputs, same bytes) and uses
only the standard library and PyYAML.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
SPEC_ROOT = HERE.parent  # spec/polytomic
REPO_ROOT = HERE.parents[2]
OVERLAYS = HERE / "overlays"
DEFAULT_FACTS = HERE / "facts"

TARGETS: list[dict[str, str]] = [
    {"version": "2025-09-18", "inventory": "api-inventory.json", "openapi": "3.1.0"},
    {
        "version": "2024-02-08",
        "inventory": "api-inventory-sdk-1.18.0.json",
        "openapi": "3.0.3",
    },
]

SERVER_URL = "https://app.polytomic.com"
METHOD_ORDER = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

ERROR_RESPONSES: dict[int, tuple[str, str]] = {
    400: ("BadRequest", "Bad Request: the request is malformed or has invalid values."),
    401: ("Unauthorized", "Unauthorized: missing or invalid credentials."),
    403: ("Forbidden", "Forbidden: the credentials do not allow this request."),
    404: ("NotFound", "Not Found: the resource does not exist or is not visible."),
    408: ("RequestTimeout", "Request Timeout: the request took too long to complete."),
    409: ("Conflict", "Conflict: the request conflicts with the current state."),
    422: (
        "UnprocessableEntity",
        "Unprocessable Entity: the request cannot be processed.",
    ),
    429: ("TooManyRequests", "Too Many Requests: a rate limit was exceeded."),
    500: ("InternalServerError", "Internal Server Error."),
    502: ("BadGateway", "Bad Gateway: an upstream system returned an invalid answer."),
    504: (
        "GatewayTimeout",
        "Gateway Timeout: an upstream system did not answer in time.",
    ),
}

MODEL_GROUPS = ("models", "model_sync")


class BuildError(Exception):
    """Raised when the inventory and the overlays do not fit together."""


# --------------------------------------------------------------------------- io


def load_yaml(path: Path) -> Any:
    with path.open("r", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def load_json(path: Path) -> Any:
    with path.open("r", encoding="utf-8") as fh:
        return json.load(fh)


class _Dumper(yaml.SafeDumper):
    """Plain YAML: no anchors/aliases, block style, literal blocks for prose."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        # Indent block sequences inside mappings ("key:\n  - item").
        return super().increase_indent(flow, False)


def _str_representer(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


class FlowList(list[str]):
    """A list written in flow style, used for 3.1 type arrays: [string, 'null']."""


def _flow_list_representer(dumper: yaml.SafeDumper, data: FlowList) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_Dumper.add_representer(str, _str_representer)
_Dumper.add_representer(FlowList, _flow_list_representer)


def dump_yaml(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=False,
        width=100,
        indent=2,
    )


# ------------------------------------------------------------------ json types


def _split_top(s: str, sep: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in s:
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return parts


def ref(name: str) -> dict[str, Any]:
    return {"$ref": "#/components/schemas/" + name}


def json_type_schema(jt: str) -> dict[str, Any]:
    """Translate an inventory ``json_type`` into a (non-nullable) schema."""
    jt = jt.strip()
    simple = {
        "string": {"type": "string"},
        "integer": {"type": "integer"},
        "number": {"type": "number"},
        "boolean": {"type": "boolean"},
        "any": {},
        "string<date-time>": {"type": "string", "format": "date-time"},
        "string<date>": {"type": "string", "format": "date"},
        "binary": {"type": "string", "format": "binary"},
    }
    if jt in simple:
        return dict(simple[jt])
    if jt.startswith("ref:"):
        return ref(jt[4:])
    m = re.fullmatch(r"(array|map|enum|union)<(.*)>", jt)
    if not m:
        raise BuildError(f"unknown json_type {jt!r}")
    kind, inner = m.group(1), m.group(2)
    if kind == "array":
        return {"type": "array", "items": json_type_schema(inner)}
    if kind == "map":
        return {"type": "object", "additionalProperties": json_type_schema(inner)}
    if kind == "enum":
        return {"type": "string", "enum": _split_top(inner, "|")}
    return {"anyOf": [json_type_schema(p) for p in _split_top(inner, "|")]}


def refs_in(jt: str | None) -> list[str]:
    return re.findall(r"ref:([A-Za-z0-9_]+)", jt or "")


# ------------------------------------------------------------------ the build


class Builder:
    def __init__(self, target: dict[str, str], facts: Path) -> None:
        self.version = target["version"]
        self.openapi = target["openapi"]
        self.inventory_name = target["inventory"]
        self.facts = facts
        self.inv = load_json(facts / target["inventory"])
        self.desc = load_yaml(OVERLAYS / "descriptions.yaml")
        self.bodies_overlay: dict[str, str] = load_yaml(OVERLAYS / "request_bodies.yaml")
        self.decisions = load_yaml(OVERLAYS / "decisions.yaml")
        self.examples = load_yaml(OVERLAYS / "examples.yaml")
        self.types = {t["name"]: t for t in self.inv["types"]}
        self.ops = self.inv["operations"]
        self.is31 = self.openapi.startswith("3.1")
        # filled during the build
        self.body_schemas: dict[str, dict[str, Any]] = {}  # name -> {fields, op keys}
        self.body_nullable: dict[str, list[str]] = {}  # schema -> docs "or null" fields
        self.formats: dict[tuple[str, str], str] = {}  # (schema, field) -> format
        # (path template, path param) -> format shown by a docs page; applied to
        # every method of that path, since they share the same path parameter
        self.path_formats: dict[tuple[str, str], str] = {}
        for c in self.inv.get("docs_cross_check", []):
            op = next((o for o in self.ops if o["id"] == c["sdk_operation"]), None)
            if op is None:
                continue
            for pname, fmt in c.get("docs_formats", {}).items():
                if any(p["name"] == pname for p in op["path_params"]):
                    self.path_formats[(op["path"], pname)] = fmt
        self.used_components: dict[str, set[str]] = {
            "parameters": set(),
            "responses": set(),
        }

    # ---------------------------------------------------------------- helpers

    @staticmethod
    def op_key(op: dict[str, Any]) -> str:
        return "{} {}".format(op["http_method"], op["path"])

    def nullable(self, schema: dict[str, Any]) -> dict[str, Any]:
        """Return ``schema`` made nullable (only for schemas with a ``type``)."""
        if "type" not in schema:
            return schema
        out = dict(schema)
        if self.is31:
            out["type"] = FlowList([schema["type"], "null"])
        else:
            out["nullable"] = True
        return out

    def docs_for(self, op: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        page = next(
            (
                p
                for p in self.inv.get("docs_pages", [])
                if p["http_method"] == op["http_method"] and p["path"] == op["path"]
            ),
            None,
        )
        cross = next(
            (c for c in self.inv.get("docs_cross_check", []) if c["sdk_operation"] == op["id"]),
            None,
        )
        if cross is not None and (cross["http_method"] != op["http_method"] or cross["path"] != op["path"]):
            raise BuildError("docs cross-check of {} names another endpoint".format(op["id"]))
        return page, cross

    # ------------------------------------------------------------ reachability

    def response_reachable(self) -> set[str]:
        seen: set[str] = set()
        stack: list[str] = []
        for op in self.ops:
            if op.get("response") and op["response"].get("type"):
                stack.append(op["response"]["type"])
            for err in op.get("errors", []):
                stack.append(err["body_type"])
        for err in self.inv.get("errors", []):
            stack.append(err["body_type"])
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            if name not in self.types:
                raise BuildError(f"response type {name} is not in the inventory")
            seen.add(name)
            t = self.types[name]
            for f in t.get("fields", []):
                stack.extend(refs_in(f["json_type"]))
            for m in t.get("members", []):
                stack.extend(refs_in(m))
            stack.extend(refs_in(t.get("json_type")))
        return seen

    # -------------------------------------------------------------- schemas

    def field_schema(self, schema_name: str, field: dict[str, Any], nullable: bool) -> dict[str, Any]:
        s = json_type_schema(field["json_type"])
        fmt = self.formats.get((schema_name, field["name"]))
        if fmt and s.get("type") == "string":
            s["format"] = fmt
        text = self.desc.get("fields", {}).get("{}.{}".format(schema_name, field["name"]))
        if text and "$ref" not in s:
            s = dict({"description": text.strip()}, **s)
        if nullable:
            s = self.nullable(s)
        return s

    def object_schema(
        self,
        name: str,
        fields: list[dict[str, Any]],
        nullable_rule: Callable[[dict[str, Any]], bool],
        description: str | None,
    ) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "object"}
        if description:
            out["description"] = description.strip()
        props: dict[str, Any] = {}
        for f in fields:
            props[f["name"]] = self.field_schema(name, f, nullable_rule(f))
        if props:
            out["properties"] = props
        required = [f["name"] for f in fields if f["required"]]
        if required:
            out["required"] = required
        return out

    def type_schema(self, t: dict[str, Any], reachable: set[str]) -> dict[str, Any]:
        name = t["name"]
        desc = self.desc.get("schemas", {}).get(name)
        kind = t["kind"]
        if kind == "object":
            docs_nullable = self.body_nullable.get(name)
            in_response = name in reachable

            def rule(f: dict[str, Any]) -> bool:
                if f["required"]:
                    return False  # rule 1
                if f["json_type"].startswith("ref:"):
                    return False  # rule 2
                if docs_nullable is not None:
                    return f["name"] in docs_nullable  # rule 3
                return in_response  # rules 4 and 5

            return self.object_schema(name, t["fields"], rule, desc)
        if kind == "enum":
            out: dict[str, Any] = {"type": "string"}
            if desc:
                out["description"] = desc.strip()
            out["enum"] = list(t["values"])
            if t.get("open"):
                out["x-enum-open"] = True
            return out
        if kind == "union":
            out = {}
            if desc:
                out["description"] = desc.strip()
            out["anyOf"] = [json_type_schema(m) for m in t["members"]]
            return out
        if kind == "alias":
            base = json_type_schema(t["json_type"])
            out = {}
            if desc:
                out["description"] = desc.strip()
            out.update(base)
            return out
        raise BuildError(f"unknown type kind {kind!r} of {name}")

    # ----------------------------------------------------------- request bodies

    def plan_request_bodies(self) -> None:
        """Name every JSON request body and collect docs-driven overrides."""
        for op in self.ops:
            body = op.get("request_body")
            key = self.op_key(op)
            _page, cross = self.docs_for(op)
            if body is None:
                continue
            if body.get("content_type") != "application/json":
                raise BuildError("{}: unsupported body {}".format(op["id"], body.get("content_type")))
            name = self.bodies_overlay.get(key)
            if not name:
                raise BuildError(f"{key}: no request body name in request_bodies.yaml")
            fields = body["fields"]
            sig = sorted((f["name"], f["json_type"], f["required"]) for f in fields)
            if name in self.types:
                t = self.types[name]
                tsig = sorted((f["name"], f["json_type"], f["required"]) for f in t["fields"])
                if tsig != sig:
                    raise BuildError(f"{key}: inventory type {name} does not match the body fields")
            elif name in self.body_schemas:
                prev = self.body_schemas[name]
                psig = sorted((f["name"], f["json_type"], f["required"]) for f in prev["fields"])
                if psig != sig:
                    raise BuildError(f"{key}: body name {name} reused with other fields")
                prev["ops"].append(key)
            else:
                self.body_schemas[name] = {"fields": fields, "ops": [key]}
            # docs pages: "or null" marks and formats of the body fields
            if cross:
                if "body_nullable_in_docs" in cross:
                    marks = sorted(cross["body_nullable_in_docs"])
                    if name in self.body_nullable and self.body_nullable[name] != marks:
                        raise BuildError(f"{name}: conflicting docs nullability")
                    self.body_nullable[name] = marks
                for fname, fmt in sorted(cross.get("docs_formats", {}).items()):
                    if any(f["name"] == fname for f in fields):
                        self.formats[(name, fname)] = fmt

    # ------------------------------------------------------------ parameters

    def param_desc(self, key: str, name: str) -> str | None:
        per_op = self.desc.get("operation_parameters", {}).get(key, {})
        if name in per_op:
            return str(per_op[name])
        generic = self.desc.get("parameters", {}).get(name)
        return None if generic is None else str(generic)

    def build_parameters(self, op: dict[str, Any], cross: dict[str, Any] | None) -> list[dict[str, Any]]:
        key = self.op_key(op)
        formats = (cross or {}).get("docs_formats", {})
        constraints = self.decisions.get("parameter_constraints", {}).get(key, {})
        params: list[dict[str, Any]] = []
        path_names = re.findall(r"\{([^}]+)\}", op["path"])
        if sorted(path_names) != sorted(p["name"] for p in op["path_params"]):
            raise BuildError(f"{key}: path template and path params differ")
        for p in op["path_params"]:
            schema = json_type_schema(p["json_type"])
            fmt = self.path_formats.get((op["path"], p["name"]))
            if fmt and schema.get("type") == "string":
                schema["format"] = fmt
            entry: dict[str, Any] = {"name": p["name"], "in": "path", "required": True}
            d = self.param_desc(key, p["name"])
            if d:
                entry["description"] = d.strip()
            entry["schema"] = schema
            params.append(entry)
        for q in op["query_params"]:
            entry = {"name": q["name"], "in": "query"}
            d = self.param_desc(key, q["name"])
            if d:
                entry["description"] = d.strip()
            if q.get("required"):
                entry["required"] = True
            if q.get("map"):
                m = re.fullmatch(r"map<(.*)>", q["json_type"])
                if not m:
                    raise BuildError("{}: map parameter {}".format(key, q["name"]))
                entry["style"] = "deepObject"
                entry["explode"] = True
                entry["schema"] = {
                    "type": "object",
                    "additionalProperties": json_type_schema(m.group(1)),
                }
            elif q.get("list") or q.get("allow_multiple"):
                item = "string"
                m = re.fullmatch(r"union<(.*)>", q["json_type"])
                if m:
                    members = _split_top(m.group(1), "|")
                    scalars = [x for x in members if not x.startswith("array<")]
                    item = scalars[0] if scalars else "string"
                else:
                    m2 = re.fullmatch(r"array<(.*)>", q["json_type"])
                    item = m2.group(1) if m2 else q["json_type"]
                entry["style"] = "form"
                entry["explode"] = True
                entry["schema"] = {"type": "array", "items": json_type_schema(item)}
            else:
                schema = json_type_schema(q["json_type"])
                if q.get("format") and schema.get("type") == "string":
                    schema["format"] = q["format"]
                if q["name"] in formats and schema.get("type") == "string":
                    schema["format"] = formats[q["name"]]
                for k in ("minimum", "maximum"):
                    if k in constraints.get(q["name"], {}):
                        schema[k] = constraints[q["name"]][k]
                entry["schema"] = schema
            params.append(entry)
        for h in op["header_params"]:
            if h["name"] == "X-Polytomic-Version":
                continue  # referenced below from components
            if h["name"] == "Idempotency-Key":
                params.append({"$ref": "#/components/parameters/IdempotencyKey"})
                self.used_components["parameters"].add("IdempotencyKey")
                continue
            raise BuildError("{}: unexpected header parameter {}".format(key, h["name"]))
        params.append({"$ref": "#/components/parameters/PolytomicVersion"})
        self.used_components["parameters"].add("PolytomicVersion")
        # constraints naming a parameter this version lacks are skipped (the
        # overlay is shared by both versions)
        return params

    # ------------------------------------------------------------- operations

    def example_for(self, key: str) -> Any | None:
        entry = self.examples.get("examples", {}).get(key)
        if entry is not None:
            if self.version in entry:
                return copy.deepcopy(entry[self.version])
            if "all" in entry:
                return copy.deepcopy(entry["all"])
        fx = self.decisions.get("fixtures", {}).get(key)
        if fx and self.version in fx["versions"]:
            return load_json(self.facts / "fixtures" / fx["file"])
        return None

    def build_operation(self, op: dict[str, Any]) -> dict[str, Any]:
        key = self.op_key(op)
        page, cross = self.docs_for(op)
        text = dict(self.desc.get("operations", {}).get(key) or {})
        # optional per-version wording: {by_version: {<version>: {description: ...}}}
        text.update((text.pop("by_version", None) or {}).get(self.version, {}))
        if not text.get("summary"):
            raise BuildError(f"{key}: no summary in descriptions.yaml")
        out: dict[str, Any] = {
            "operationId": op["id"],
            "summary": text["summary"].strip(),
        }
        if text.get("description"):
            out["description"] = text["description"].strip() + "\n"
        out["tags"] = [op["group"]]
        out["parameters"] = self.build_parameters(op, cross)
        body = op.get("request_body")
        if body is not None:
            name = self.bodies_overlay[key]
            required = any(f["required"] for f in body["fields"])
            rb: dict[str, Any] = {}
            if required:
                rb["required"] = True
            rb["content"] = {"application/json": {"schema": ref(name)}}
            out["requestBody"] = rb
        responses: dict[str, Any] = {}
        resp = op.get("response")
        if resp and resp.get("type"):
            media: dict[str, Any] = {"schema": ref(resp["type"])}
            example = self.example_for(key)
            if example is not None:
                try:
                    json.dumps(example, allow_nan=False)
                except (TypeError, ValueError) as exc:
                    raise BuildError(f"{key}: example is not plain JSON ({exc})") from exc
                media["example"] = example
            responses["200"] = {
                "description": "OK",
                "content": {"application/json": media},
            }
        else:
            if self.example_for(key) is not None:
                raise BuildError(f"{key}: example given for an operation without a body")
            responses["204"] = {"description": "No Content"}
        statuses = {e["status"] for e in op["errors"]}
        for e in op["errors"]:
            declared = {x["status_code"]: x["body_type"] for x in self.inv["errors"]}
            if declared.get(e["status"]) != e["body_type"]:
                raise BuildError(f"{key}: error {e} body differs from the error table")
        if page is not None and op["group"].split(".")[0] in MODEL_GROUPS:
            statuses |= {e["status"] for e in page.get("errors", [])}
        for status in sorted(statuses):
            if status not in ERROR_RESPONSES:
                raise BuildError(f"{key}: no shared response for status {status}")
            rname = ERROR_RESPONSES[status][0]
            self.used_components["responses"].add(rname)
            responses[str(status)] = {"$ref": "#/components/responses/" + rname}
        out["responses"] = responses
        return out

    # ----------------------------------------------------------- components

    def build_components(self) -> dict[str, Any]:
        reachable = self.response_reachable()
        schemas: dict[str, Any] = {}
        for t in self.inv["types"]:
            schemas[t["name"]] = self.type_schema(t, reachable)
        for name, info in self.body_schemas.items():
            if name in schemas:
                raise BuildError(f"request body name {name} collides with a type")
            docs_nullable = self.body_nullable.get(name)

            def rule(f: dict[str, Any], docs_nullable: list[str] | None = docs_nullable) -> bool:
                if f["required"] or f["json_type"].startswith("ref:"):
                    return False
                if docs_nullable is not None:
                    return f["name"] in docs_nullable
                return False  # rule 5: request-only

            schemas[name] = self.object_schema(name, info["fields"], rule, self.desc.get("schemas", {}).get(name))
        for name in self.body_nullable:
            if name not in schemas:
                raise BuildError(f"docs nullability for unknown body {name}")
        # descriptions for schemas that do not exist are a mistake in the overlay
        parameters: dict[str, Any] = {}
        if "IdempotencyKey" in self.used_components["parameters"]:
            parameters["IdempotencyKey"] = {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": (
                    "Client-chosen unique key (for example a UUID). Retrying a request "
                    "with the same key does not apply it a second time."
                ),
                "schema": {"type": "string"},
            }
        parameters["PolytomicVersion"] = {
            "name": "X-Polytomic-Version",
            "in": "header",
            "required": False,
            "description": (f"API version the request is written for. This document describes version {self.version}."),
            "schema": {"type": "string", "default": self.version},
        }
        responses: dict[str, Any] = {}
        for status in sorted(ERROR_RESPONSES):
            rname, text = ERROR_RESPONSES[status]
            if rname not in self.used_components["responses"]:
                continue
            body = next(e["body_type"] for e in self.inv["errors"] if e["status_code"] == status)
            responses[rname] = {
                "description": text,
                "content": {"application/json": {"schema": ref(body)}},
            }
        return {
            "schemas": {k: schemas[k] for k in sorted(schemas)},
            "parameters": {k: parameters[k] for k in sorted(parameters)},
            "responses": responses,
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": (
                        "`Authorization: Bearer <key>` with a Polytomic API key: an "
                        "organization API key, a user API key, or a partner key."
                    ),
                },
                "basicAuth": {
                    "type": "http",
                    "scheme": "basic",
                    "description": (
                        "HTTP Basic. On-premises deployments: the deployment key as the "
                        "username and an empty password. Organization-scoped access: the "
                        "organization id as the username and the partner or deployment key "
                        "as the password."
                    ),
                },
            },
        }

    # -------------------------------------------------------------- document

    def build(self) -> dict[str, Any]:
        self.plan_request_bodies()
        paths: dict[str, dict[str, Any]] = {}
        seen_ids: set[str] = set()
        for op in self.ops:
            if op["id"] in seen_ids:
                raise BuildError("duplicate operation id {}".format(op["id"]))
            seen_ids.add(op["id"])
            if op["id"] != "{}.{}".format(op["group"], op["method_name"]):
                raise BuildError("operation id {} is not group.method_name".format(op["id"]))
            method = op["http_method"].lower()
            item = paths.setdefault(op["path"], {})
            if method in item:
                raise BuildError("duplicate {} {}".format(method, op["path"]))
            item[method] = self.build_operation(op)
        ordered_paths = {p: {m: paths[p][m] for m in METHOD_ORDER if m in paths[p]} for p in sorted(paths)}
        components = self.build_components()
        groups = sorted({op["group"] for op in self.ops})
        tag_text = self.desc.get("tags", {})
        missing = [g for g in groups if g not in tag_text]
        if missing:
            raise BuildError(f"no tag description for {missing}")
        info_desc = self.desc["info"]["description"].strip() + "\n"
        doc: dict[str, Any] = {
            "openapi": self.openapi,
            "info": {
                "title": "Polytomic API",
                "version": self.version,
                "description": info_desc,
            },
            "servers": [
                {
                    "url": SERVER_URL,
                    "description": ("Polytomic cloud. On-premises deployments override this with their own base URL."),
                }
            ],
            "security": [{"bearerAuth": []}, {"basicAuth": []}],
            "tags": [{"name": g, "description": tag_text[g]} for g in groups],
            "paths": ordered_paths,
            "components": components,
        }
        return doc

    # -------------------------------------------------------------- comments

    def header(self) -> str:
        h = self.decisions["header"]
        n_no_body = sum(1 for op in self.ops if not (op.get("response") or {}).get("type"))
        n_idem = sum(1 for op in self.ops if any(x["name"] == "Idempotency-Key" for x in op["header_params"]))
        text = (h["all"] + h.get(self.version, "")).format(
            inventory=self.inventory_name,
            sdk_version=self.inv["meta"]["sdk_version"],
            sdk_commit=self.inv["meta"]["source_commit"][:7],
            nullable_syntax=self.decisions["nullable_syntax"][self.openapi],
            no_body_count=n_no_body,
            idempotent_count=n_idem,
        )
        title = f"# Polytomic API {self.version} (OpenAPI {self.openapi})\n#\n"
        return title + comment_block(text, 0)

    def comments(self) -> list[tuple[list[str], str]]:
        out = []
        for c in self.decisions.get("comments", []):
            if "versions" in c and self.version not in c["versions"]:
                continue
            out.append((list(c["at"]), c["text"]))
        return out


def comment_block(text: str, indent: int) -> str:
    pad = " " * indent
    lines = []
    for line in text.rstrip("\n").split("\n"):
        lines.append((pad + "# " + line).rstrip() if line else pad + "#")
    return "\n".join(lines) + "\n"


def _key_repr(key: str) -> str:
    """How the dumper writes ``key`` as a mapping key (plain or quoted)."""
    return yaml.dump({key: 0}, Dumper=_Dumper, default_flow_style=False, width=1000).rsplit(":", 1)[0]


def insert_comment(text: str, at: list[str], comment: str) -> str:
    """Insert ``comment`` above the line of the key path ``at``."""
    lines = text.split("\n")
    start, end = 0, len(lines)
    line_no = -1
    for depth, key in enumerate(at):
        want = " " * (2 * depth) + _key_repr(key) + ":"
        line_no = -1
        for i in range(start, end):
            line = lines[i]
            if line == want or line.startswith(want + " "):
                line_no = i
                break
        if line_no < 0:
            raise BuildError(f"comment anchor {at} not found")
        # the block of this key ends at the next line with indentation <= depth*2
        start = line_no + 1
        for j in range(start, end):
            stripped = lines[j].lstrip(" ")
            indent = len(lines[j]) - len(stripped)
            if stripped and not stripped.startswith("#") and indent <= 2 * depth:
                end = j
                break
    block = comment_block(comment, 2 * (len(at) - 1)).rstrip("\n").split("\n")
    lines[line_no:line_no] = block
    return "\n".join(lines)


def render(target: dict[str, str], facts: Path) -> str:
    b = Builder(target, facts)
    doc = b.build()
    body = dump_yaml(doc)
    for at, text in b.comments():
        body = insert_comment(body, at, text)
    out = b.header() + "\n" + body
    out.encode("ascii")  # the documents are pure ASCII
    return out


def output_path(target: dict[str, str]) -> Path:
    return SPEC_ROOT / target["version"] / "openapi.yaml"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--facts",
        type=Path,
        default=Path(os.environ.get("POLYTOMIC_FACTS", DEFAULT_FACTS)),
        help="fact inventory folder (default: facts/ beside this script)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if a document is stale",
    )
    args = parser.parse_args(argv)
    if not args.facts.is_dir():
        print(f"error: fact inventory not found at {args.facts}", file=sys.stderr)
        return 2
    stale = []
    for target in TARGETS:
        try:
            text = render(target, args.facts)
        except BuildError as exc:
            print("error: {}: {}".format(target["version"], exc), file=sys.stderr)
            return 2
        path = output_path(target)
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if args.check:
            stale.append(str(path))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".yaml.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        print(f"wrote {path.relative_to(REPO_ROOT)}")
    if stale:
        print("stale: {}".format(", ".join(stale)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
