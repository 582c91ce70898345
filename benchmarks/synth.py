"""Synthetic OpenAPI documents of a chosen size, for the scaling benchmark.

Operations come in CRUD groups of five per resource (list, create, get, update, delete), one
tag per resource.  Each resource has the schemas a real API has: the resource itself (scalars,
an enum, a datetime, a nullable field, a string map, a list of nested objects, a reference to a
shared schema, an inline object), a create and an update body, and a list envelope with
pagination; errors are shared.  Names are real words, deterministic for a given size.

    python -m benchmarks.synth 1000 out.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

_ADJ = [
    "active",
    "archived",
    "audit",
    "billing",
    "cached",
    "central",
    "cloud",
    "custom",
    "daily",
    "data",
    "default",
    "deferred",
    "direct",
    "draft",
    "external",
    "field",
    "global",
    "hourly",
    "incoming",
    "inline",
    "legacy",
    "linked",
    "local",
    "managed",
    "manual",
    "monthly",
    "native",
    "outgoing",
    "partner",
    "primary",
    "private",
    "public",
]
_NOUN = [
    "account",
    "alert",
    "batch",
    "bucket",
    "campaign",
    "channel",
    "contact",
    "contract",
    "coupon",
    "dataset",
    "device",
    "domain",
    "event",
    "export",
    "feature",
    "folder",
    "invoice",
    "job",
    "key",
    "ledger",
    "member",
    "message",
    "metric",
    "notice",
    "order",
    "payout",
    "plan",
    "policy",
    "queue",
    "report",
    "segment",
    "token",
]
_OPS = ("list", "create", "get", "update", "delete")


def _resource_names(count: int) -> list[tuple[str, str]]:
    """(snake, Pascal) names; adjective × noun, then numbered rounds beyond that."""
    out: list[tuple[str, str]] = []
    round_ = 0
    while len(out) < count:
        for adj in _ADJ:
            for noun in _NOUN:
                suffix = f"_{round_}" if round_ else ""
                snake = f"{adj}_{noun}{suffix}"
                out.append((snake, "".join(p.capitalize() for p in snake.split("_"))))
                if len(out) == count:
                    return out
        round_ += 1
    return out


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _resource_schemas(snake: str, pascal: str) -> dict[str, Any]:
    status = f"{pascal}Status"
    item = f"{pascal}Item"
    props: dict[str, Any] = {
        "id": {"type": "string", "format": "uuid", "description": f"Identifier of the {snake.replace('_', ' ')}."},
        "name": {"type": "string", "maxLength": 200},
        "description": {"type": "string", "nullable": True},
        "status": _ref(status),
        "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"},
        "version": {"type": "integer", "format": "int64", "minimum": 0},
        "amount": {"type": "number", "format": "double"},
        "enabled": {"type": "boolean", "default": True},
        "labels": {"type": "object", "additionalProperties": {"type": "string"}},
        "tags": {"type": "array", "items": {"type": "string"}},
        "items": {"type": "array", "items": _ref(item)},
        "owner": _ref("Actor"),
        "settings": {
            "type": "object",
            "properties": {
                "retention_days": {"type": "integer"},
                "notify": {"type": "boolean"},
                "timezone": {"type": "string", "default": "UTC"},
            },
        },
    }
    writable = {k: v for k, v in props.items() if k not in ("id", "created_at", "updated_at", "version", "owner")}
    return {
        pascal: {
            "type": "object",
            "description": f"A {snake.replace('_', ' ')}.",
            "required": ["id", "name", "status", "created_at"],
            "properties": props,
        },
        status: {"type": "string", "enum": ["pending", "active", "paused", "archived"]},
        item: {
            "type": "object",
            "required": ["key"],
            "properties": {
                "key": {"type": "string"},
                "value": {"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]},
                "position": {"type": "integer"},
            },
        },
        f"{pascal}Create": {"type": "object", "required": ["name"], "properties": writable},
        f"{pascal}Update": {"type": "object", "properties": writable},
        f"{pascal}List": {
            "type": "object",
            "required": ["data"],
            "properties": {"data": {"type": "array", "items": _ref(pascal)}, "pagination": _ref("Pagination")},
        },
    }


def _json_body(schema: str) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": _ref(schema)}}}


def _operations(snake: str, pascal: str, n_ops: int) -> dict[str, dict[str, Any]]:
    errors = {"400": {"$ref": "#/components/responses/BadRequest"}, "404": {"$ref": "#/components/responses/NotFound"}}
    id_param = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}]
    ops: dict[str, Any] = {
        "list": (
            "get",
            False,
            {
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                    {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                    {"name": "status", "in": "query", "schema": _ref(f"{pascal}Status")},
                ],
                "responses": {"200": {"description": "OK", **_json_body(f"{pascal}List")}, **errors},
            },
        ),
        "create": (
            "post",
            False,
            {
                "requestBody": {"required": True, **_json_body(f"{pascal}Create")},
                "responses": {"201": {"description": "Created", **_json_body(pascal)}, **errors},
            },
        ),
        "get": ("get", True, {"responses": {"200": {"description": "OK", **_json_body(pascal)}, **errors}}),
        "update": (
            "patch",
            True,
            {
                "requestBody": {"required": True, **_json_body(f"{pascal}Update")},
                "responses": {"200": {"description": "OK", **_json_body(pascal)}, **errors},
            },
        ),
        "delete": ("delete", True, {"responses": {"204": {"description": "Deleted"}, **errors}}),
    }
    paths: dict[str, dict[str, Any]] = {}
    for op in _OPS[:n_ops]:
        method, by_id, body = ops[op]
        path = f"/v1/{snake}s/{{id}}" if by_id else f"/v1/{snake}s"
        operation = {
            "operationId": f"{snake}.{op}",
            "summary": f"{op.capitalize()} {snake.replace('_', ' ')}{'' if by_id or op == 'create' else 's'}.",
            "tags": [snake],
            **body,
        }
        if by_id:
            operation["parameters"] = id_param + operation.get("parameters", [])
        paths.setdefault(path, {})[method] = operation
    return paths


def build(n_operations: int) -> dict[str, Any]:
    """An OpenAPI 3.0 document with exactly ``n_operations`` operations."""
    groups = -(-n_operations // len(_OPS))
    schemas: dict[str, Any] = {
        "Actor": {
            "type": "object",
            "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "type": {"type": "string"}},
        },
        "Pagination": {"type": "object", "properties": {"next_cursor": {"type": "string", "nullable": True}}},
        "Error": {
            "type": "object",
            "required": ["message"],
            "properties": {"message": {"type": "string"}, "code": {"type": "string"}},
        },
    }
    paths: dict[str, Any] = {}
    tags = []
    remaining = n_operations
    for snake, pascal in _resource_names(groups):
        schemas.update(_resource_schemas(snake, pascal))
        for path, item in _operations(snake, pascal, min(remaining, len(_OPS))).items():
            paths.setdefault(path, {}).update(item)
        remaining -= len(_OPS)
        tags.append({"name": snake, "description": f"Manage {snake.replace('_', ' ')}s."})
    error = {"description": "Error", **_json_body("Error")}
    return {
        "openapi": "3.0.3",
        "info": {"title": f"Synthetic {n_operations}", "version": "2025-01-01"},
        "servers": [{"url": "https://api.example.com"}],
        "security": [{"bearerAuth": []}],
        "tags": tags,
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "responses": {"BadRequest": error, "NotFound": error},
            "schemas": schemas,
        },
    }


def write(n_operations: int, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(build(n_operations), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    write(int(sys.argv[1]), Path(sys.argv[2]))
