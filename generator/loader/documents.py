"""Reading one document (YAML or JSON) safely.

YAML goes through PyYAML's safe loader (the C one when available) with three changes:

* YAML 1.2 core-schema scalars, as OpenAPI 3.1 requires: ``yes``/``no``/``on``/``off`` stay
  strings and ``2024-02-08`` stays a string instead of becoming a ``datetime.date``;
* duplicate mapping keys, non-standard tags and alias bombs (aliases whose expansion is
  far larger than the document, or that contain themselves) are refused;
* mapping keys are always strings (``200:`` unquoted becomes ``"200"``).

JSON goes through the standard library with a duplicate-key check.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Diagnostics, pointer

MAX_BYTES = 256 * 1024 * 1024
MAX_DEPTH = 500
_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DocumentError(Exception):
    def __init__(self, message: str, pointer: str = "", hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.pointer = pointer
        self.hint = hint


class _Loader(_BASE):  # type: ignore[valid-type,misc]
    """Safe loader with YAML 1.2 core-schema implicit types."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in _BASE.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _key_text(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    if isinstance(key, (int, float, str)):
        return str(key)
    raise DocumentError("a mapping key must be a scalar", hint="quote the key")


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict[str, Any]:
    loader.flatten_mapping(node)
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = _key_text(loader.construct_object(key_node, deep=deep))
        if key in result:
            mark = key_node.start_mark
            raise DocumentError(
                f"duplicate key {key!r} (line {mark.line + 1})",
                hint="YAML and JSON parsers disagree on which value wins; keep one",
            )
        result[key] = loader.construct_object(value_node, deep=deep)
    return result


def _refuse_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    mark = node.start_mark
    raise DocumentError(
        f"tag {node.tag!r} is not allowed (line {mark.line + 1})", hint="OpenAPI documents are plain data"
    )


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
# Standard YAML types that JSON (and so OpenAPI) has no value for are refused as well.
for _tag in ("binary", "set", "omap", "pairs", "timestamp"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", lambda loader, node: _refuse_tag(loader, "", node))
_Loader.add_multi_constructor("", _refuse_tag)
for _tag in ("tag:yaml.org,2002:python/", "!"):
    _Loader.add_multi_constructor(_tag, _refuse_tag)


def _check_aliases(node: yaml.Node) -> None:
    """Refuse self-containing aliases and expansions far larger than the text (alias bombs)."""
    sizes: dict[int, int] = {}
    on_stack: set[int] = set()
    distinct = 0

    def size(n: yaml.Node, depth: int) -> int:
        nonlocal distinct
        key = id(n)
        if key in on_stack:
            raise DocumentError(f"an alias contains itself (line {n.start_mark.line + 1})")
        if key in sizes:
            return sizes[key]
        if depth > MAX_DEPTH:
            raise DocumentError(f"nesting deeper than {MAX_DEPTH} levels (line {n.start_mark.line + 1})")
        distinct += 1
        on_stack.add(key)
        total = 1
        if isinstance(n, yaml.SequenceNode):
            total += sum(size(c, depth + 1) for c in n.value)
        elif isinstance(n, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in n.value)
        on_stack.discard(key)
        sizes[key] = total
        return total

    expanded = size(node, 0)
    if expanded > 100_000 and expanded > 10 * distinct:
        raise DocumentError(
            f"YAML aliases expand {distinct} nodes into {expanded} (an alias bomb)",
            hint="write the repeated parts out or use $ref",
        )


def parse_text(text: str, name: str) -> Any:
    """Parse YAML or JSON text; raises DocumentError."""
    try:
        return _parse(text, name)
    except RecursionError:
        raise DocumentError(f"nesting deeper than {MAX_DEPTH} levels") from None


def _parse(text: str, name: str) -> Any:
    stripped = text.lstrip("\ufeff \t\r\n")
    if name.endswith(".json") or stripped.startswith("{"):
        try:
            return json.loads(text.lstrip("\ufeff"), object_pairs_hook=_json_object, parse_constant=_json_constant)
        except json.JSONDecodeError as exc:
            if name.endswith(".json"):
                raise DocumentError(f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            _check_aliases(node)
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise DocumentError(f"invalid YAML: {_yaml_message(exc)}") from None


def _yaml_message(exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.MarkedYAMLError):
        parts = [p for p in (exc.context, exc.problem) if p]
        mark = exc.problem_mark or exc.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        return "; ".join(parts) + where
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _json_constant(name: str) -> Any:
    raise DocumentError(f"{name} is not a JSON value", hint="JSON has no NaN or Infinity; write a string or a number")


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DocumentError(f"duplicate key {key!r}", hint="JSON parsers disagree on which value wins; keep one")
        result[key] = value
    return result


def read_document(path: Path, diagnostics: Diagnostics, display: str) -> tuple[Any, bytes]:
    """Read and parse a file; on failure add an error and return None.  Also returns the raw bytes."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            diagnostics.error(f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB", display, "")
            return None, b""
        raw = path.read_bytes()
    except OSError as exc:
        diagnostics.error(f"cannot read file: {exc.strerror or exc}", display, "")
        return None, b""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        diagnostics.error(f"file is not UTF-8 (byte {exc.start})", display, "")
        return None, raw
    try:
        return _check_depth(parse_text(text, path.name)), raw
    except DocumentError as exc:
        diagnostics.error(exc.message, display, exc.pointer, exc.hint)
        return None, raw


_SURROGATE = re.compile("[\ud800-\udfff]")
_Path = tuple[str | int, "_Path"] | None  # (token, parent): a pointer, built on demand


def _check_depth(data: Any) -> Any:
    """Refuse absurd nesting up front, so later recursive passes have a fixed bound; and
    strings with a lone surrogate (JSON can escape one; it is not Unicode, cannot be sent
    or written as UTF-8)."""
    stack: list[tuple[Any, int, _Path]] = [(data, 0, None)]
    while stack:
        node, depth, where = stack.pop()
        if depth > MAX_DEPTH:
            raise DocumentError(f"nesting deeper than {MAX_DEPTH} levels")
        if isinstance(node, dict):
            for key, value in node.items():
                if _SURROGATE.search(key):
                    raise DocumentError("a key holds a lone surrogate (not Unicode)", _pointer(where))
                stack.append((value, depth + 1, (key, where)))
        elif isinstance(node, list):
            stack.extend((v, depth + 1, (i, where)) for i, v in enumerate(node))
        elif isinstance(node, str) and _SURROGATE.search(node):
            raise DocumentError("a string holds a lone surrogate (not Unicode)", _pointer(where))
    return data


def _pointer(where: _Path) -> str:
    tokens: list[str | int] = []
    while where is not None:
        tokens.append(where[0])
        where = where[1]
    return pointer(*reversed(tokens))
