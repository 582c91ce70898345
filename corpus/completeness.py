"""Did every operation and every response of the document reach the SDK, or a diagnostic?

Counted from the document as written (before any conversion):

* an operation is a ``path x method`` pair under ``paths`` (path items behind a local ``$ref`` are
  followed). It is covered when the IR has an operation with that key, or a diagnostic
  points into it (``#/paths/~1pets/get...``) or into its path item;
* a response is a status code under an operation's ``responses``. It is covered when the IR
  operation has a response with that status (the success response or an error response),
  or it has no body (nothing to type: a 204, a 304), or it is a second 2xx whose body has the
  same schema as the one the SDK returns, or a diagnostic points into it.

What is left is dropped silently: the document is ``incomplete``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from generator.diagnostics import Diagnostic, pointer
from generator.ir.nodes import Api, Operation

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(slots=True)
class Coverage:
    spec_operations: int = 0
    spec_responses: int = 0
    named_operations: set[str] = field(default_factory=set)
    missing_operations: set[str] = field(default_factory=set)
    missing_responses: set[str] = field(default_factory=set)


def _local(doc: Any, node: Any) -> Any:
    """Follow local ``#/...`` refs (a few hops); anything else is returned as is."""
    for _ in range(10):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/")):
            return node
        target: Any = doc
        for token in node["$ref"][2:].split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            if isinstance(target, dict) and token in target:
                target = target[token]
            elif isinstance(target, list) and token.isdigit() and int(token) < len(target):
                target = target[int(token)]
            else:
                return node
        node = target
    return node


def _body_schema(doc: Any, response: Any) -> tuple[bool, str]:
    """(has a body, the body's schema as canonical JSON)."""
    response = _local(doc, response)
    if not isinstance(response, dict):
        return False, ""
    if "schema" in response:  # Swagger 2.0
        return True, json.dumps(response["schema"], sort_keys=True)
    content = response.get("content")
    if not isinstance(content, dict):
        return False, ""
    for media in content.values():
        if isinstance(media, dict) and media.get("schema") not in (None, {}):
            return True, json.dumps(media["schema"], sort_keys=True)
    return False, ""


def _named(diagnostics: tuple[Diagnostic, ...], prefix: str) -> bool:
    return any(d.pointer == prefix or d.pointer.startswith(prefix + "/") for d in diagnostics)


def check(doc: Any, api: Api, diagnostics: tuple[Diagnostic, ...]) -> Coverage:
    coverage = Coverage()
    paths = doc.get("paths") if isinstance(doc, dict) else None
    if not isinstance(paths, dict):
        return coverage
    generated = {op.key: op for op in api.all_operations()}
    for path, raw_item in paths.items():
        item = _local(doc, raw_item)
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            key = f"{method} {path}"
            where = pointer("paths", path, method)
            coverage.spec_operations += 1
            responses = _local(doc, op.get("responses"))
            codes = [str(c) for c in responses] if isinstance(responses, dict) else []
            coverage.spec_responses += len(codes)
            if key not in generated:
                if _named(diagnostics, where) or _named(diagnostics, pointer("paths", path)):
                    coverage.named_operations.add(key)
                else:
                    coverage.missing_operations.add(key)
                continue
            assert isinstance(responses, dict) or not codes
            for code in codes:
                if not _response_covered(doc, generated[key], responses, code, diagnostics, where):
                    coverage.missing_responses.add(f"{key} {code}")
    return coverage


def _response_covered(
    doc: Any, op: Operation, responses: dict[str, Any], code: str, diagnostics: tuple[Diagnostic, ...], where: str
) -> bool:
    statuses = {op.response.status, *op.response.also, *(e.status for e in op.errors)}
    if code in statuses:
        return True
    has_body, schema = _body_schema(doc, responses[code])
    if not has_body:
        return True
    if code.startswith("2") and op.response.status in responses:
        chosen_body, chosen_schema = _body_schema(doc, responses[op.response.status])
        if chosen_body and chosen_schema == schema:
            return True
    return _named(diagnostics, where + "/responses/" + code.replace("~", "~0").replace("/", "~1"))
