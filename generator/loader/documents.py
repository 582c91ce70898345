"""Reading one document (YAML or JSON) safely.

YAML goes through PyYAML's safe loader (the C one when available) with three changes:

* YAML 1.2 core-schema scalars, as OpenAPI 3.1 requires: ``yes``/``no``/``on``/``off`` stay
  strings and ``2024-02-08`` stays a string instead of becoming a ``datetime.date``;
* duplicate mapping keys, non-standard tags and alias bombs (aliases whose expansion is
  far larger than the document, or that contain themselves) are refused;
* mapping keys are always strings (``200:`` unquoted becomes ``"200"``).

JSON goes through the standard library with a duplicate-key check.  Both are checked for
nesting and lone surrogates; ``scan`` says where each problem is (JSON pointer, line).

The file must be UTF-8 (a UTF-8 byte order mark is accepted): UTF-16 and UTF-32, with or
without a byte order mark, are refused with a message that says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Diagnostic, Diagnostics, Level, add_capped
from .scan import (
    MAX_DEPTH,
    DocumentError,
    DocumentErrors,
    check_data,
    check_nodes,
    json_problems,
    key_text,
    yaml_depth,
)

__all__ = ["MAX_BYTES", "MAX_DEPTH", "DocumentError", "parse_text", "read_document"]

MAX_BYTES = 256 * 1024 * 1024
_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
_ENCODING_HINT = "save the file as UTF-8"


class _Loader(_BASE):  # type: ignore[valid-type,misc]
    """Safe loader with YAML 1.2 core-schema implicit types."""


# YAML 1.2 core schema (what OpenAPI 3.x documents are written in), not PyYAML's YAML 1.1:
# ``yes``/``on`` and dates stay strings, ``0755`` is 755 (not octal 493), ``1:30`` stays a
# string (not sexagesimal 90), ``1_000`` stays a string, ``1e3`` is a number.
_YAML11 = (
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:value",  # a plain ``=`` (an enum value of operators) is a string
)
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _YAML11]
    for first, resolvers in _BASE.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+.0123456789"))


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text, 10)


def _construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float:
    text = str(loader.construct_scalar(node)).lower()  # .inf and .nan are refused by check_nodes
    return float(text.replace(".inf", "inf").replace(".nan", "nan"))


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Iterator[dict[str, Any]]:
    """A mapping with string keys; a key written twice is refused, but a key of the mapping
    itself may override one it merged in (``<<: *base``), as YAML merge keys intend.

    A generator, like PyYAML's own constructors: the loader fills nested mappings from a
    queue instead of recursing once per level."""
    result: dict[str, Any] = {}
    yield result
    own = sum(1 for key_node, _ in node.value if key_node.tag != "tag:yaml.org,2002:merge")
    loader.flatten_mapping(node)
    merged = len(node.value) - own  # flatten_mapping puts the merged pairs first
    own_keys: set[str] = set()
    for i, (key_node, value_node) in enumerate(node.value):
        key = key_text(loader.construct_object(key_node))
        if i >= merged:
            if key in own_keys:
                mark = key_node.start_mark
                raise DocumentError(
                    f"duplicate key {key!r} (line {mark.line + 1})",
                    hint="YAML and JSON parsers disagree on which value wins; keep one",
                )
            own_keys.add(key)
        result[key] = loader.construct_object(value_node)


def _refuse_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    mark = node.start_mark
    raise DocumentError(
        f"tag {node.tag!r} is not allowed (line {mark.line + 1})", hint="OpenAPI documents are plain data"
    )


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def _construct_pairs(loader: yaml.SafeLoader, node: yaml.Node) -> Iterator[list[dict[str, Any]]]:
    """``!!omap``/``!!pairs``: a sequence of one-key mappings, which JSON has (a list of them)."""
    result: list[dict[str, Any]] = []
    yield result
    if not isinstance(node, yaml.SequenceNode):
        _refuse_tag(loader, "", node)
    for item in node.value:
        value = loader.construct_object(item, deep=True)
        if not isinstance(value, dict) or len(value) != 1:
            _refuse_tag(loader, "", node)
        result.append(value)


_Loader.add_constructor("tag:yaml.org,2002:omap", _construct_pairs)
_Loader.add_constructor("tag:yaml.org,2002:pairs", _construct_pairs)
# Standard YAML types that JSON (and so OpenAPI) has no value for are refused as well.
for _tag in ("binary", "set", "timestamp"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", lambda loader, node: _refuse_tag(loader, "", node))
_Loader.add_multi_constructor("", _refuse_tag)
for _tag in ("tag:yaml.org,2002:python/", "!"):
    _Loader.add_multi_constructor(_tag, _refuse_tag)


def parse_text(text: str, name: str, notes: list[str] | None = None) -> Any:
    """Parse YAML or JSON text and check its structure; raises DocumentError(s).  ``notes``
    collects what was read leniently (a ``.json`` file that only YAML reads: trailing commas;
    tabs on blank lines of a YAML file)."""
    try:
        data = _lenient(text, name, [] if notes is None else notes)
    except RecursionError:
        raise DocumentError(f"nesting deeper than {MAX_DEPTH} levels") from None
    check_data(data)
    return data


def _lenient(text: str, name: str, notes: list[str]) -> Any:
    """``_parse``, and where it fails, a second reading other tools give the same text: a JSON
    file as YAML (a superset of JSON that allows trailing commas), a YAML file whose blank
    lines hold tabs without them; what was done is added to ``notes``."""
    try:
        return _parse(text, name)
    except DocumentError as exc:
        if exc.message.startswith("invalid JSON"):
            retry, note = text, "not valid JSON ({}); read as YAML, which allows it"
        elif exc.message.startswith("invalid YAML") and "tab character" in exc.message:
            retry, note = _BLANK_TABS.sub("", text), "{}; read with the tabs of blank lines left out"
        else:
            raise
        try:
            data = _parse(retry, name + ".yaml")
        except DocumentError:
            raise exc from None
        if not isinstance(data, dict):  # ("This is not JSON!" is a YAML string)
            raise exc from None
        notes.append(note.format(exc.message))
        return data


_BLANK_TABS = re.compile(r"^[ \t]*\t[ \t]*$", re.MULTILINE)


def _parse(text: str, name: str) -> Any:
    stripped = text.lstrip("\ufeff \t\r\n")
    if name.endswith(".json") or stripped.startswith("{"):
        try:
            return json.loads(text.lstrip("\ufeff"), object_pairs_hook=_json_object, parse_constant=_json_constant)
        except json.JSONDecodeError as exc:
            if name.endswith(".json"):
                raise DocumentError(f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
        except (RecursionError, _Duplicate) as exc:
            # json.loads cannot say where: find the place on the tokens.
            located = json_problems(text)
            if located:
                raise DocumentErrors(located) from None
            if isinstance(exc, _Duplicate):
                raise DocumentError(exc.message, hint=exc.hint) from None
            raise
    try:
        yaml_depth(_Loader(text))  # before composing: PyYAML composes recursively, in C
    except yaml.YAMLError as exc:
        _own_limits_first(text, exc)
        raise DocumentError(f"invalid YAML: {_yaml_message(exc)}") from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        check_nodes(loader, node)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise DocumentError(f"invalid YAML: {_yaml_message(exc)}") from None
    finally:
        loader.dispose()


def _own_limits_first(text: str, exc: yaml.YAMLError) -> None:
    """sdkgen's limits, not libyaml's, decide what a document is refused for.

    libyaml has limits of its own that change between releases (PyYAML 6.0.4's refuses flow
    nesting past 1,000 levels while its scanner looks ahead, before the events that would have
    crossed sdkgen's 500 arrive).  When it fails, the text up to the failing line is walked
    again by PyYAML's pure-Python parser, which has no such limit: a place nested deeper than
    ``MAX_DEPTH`` there is the error to report (with its pointer), not libyaml's message."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is None or _BASE is yaml.SafeLoader:
        return
    prefix = "".join(text.splitlines(keepends=True)[: mark.line + 1])
    try:
        yaml_depth(yaml.SafeLoader(prefix))
    except yaml.YAMLError:
        return  # the prefix ends mid-document, or the text is not YAML: libyaml's words stand


def _yaml_message(exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.MarkedYAMLError):
        parts = [p for p in (exc.context, exc.problem) if p]
        mark = exc.problem_mark or exc.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        return "; ".join(parts) + where
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _json_constant(name: str) -> Any:
    raise DocumentError(f"{name} is not a JSON value", hint="JSON has no NaN or Infinity; write a string or a number")


class _Duplicate(DocumentError):
    pass


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Duplicate(f"duplicate key {key!r}", hint="JSON parsers disagree on which value wins; keep one")
        result[key] = value
    return result


def read_document(path: Path, diagnostics: Diagnostics, display: str) -> tuple[Any, bytes]:
    """Read and parse a file; on failure add errors and return None.  Also returns the raw bytes."""
    try:
        if path.is_dir():
            diagnostics.error("is a folder, not an OpenAPI document", display, "")
            return None, b""
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        diagnostics.error(f"cannot read file: {exc.strerror or exc}", display, "")
        return None, b""
    if len(raw) > MAX_BYTES:
        diagnostics.error(f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB", display, "")
        return None, b""
    notes: list[str] = []
    try:
        data = parse_text(_decode(raw), path.name, notes)
        for note in notes:
            diagnostics.warning(note, display, "")
        return data, raw
    except DocumentError as exc:
        diagnostics.error(exc.message, display, exc.pointer, exc.hint)
    except DocumentErrors as exc:
        found = [Diagnostic(Level.ERROR, p.message, display, p.pointer, p.hint) for p in exc.problems]
        add_capped(diagnostics, found, "problems of this file")
    return None, raw


def _decode(raw: bytes) -> str:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            raise DocumentError(
                f"file is {encoding} (it starts with a {encoding} byte order mark), not UTF-8", hint=_ENCODING_HINT
            )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DocumentError(f"file is not UTF-8 (byte {exc.start}, line {line})", hint=_ENCODING_HINT) from None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise DocumentError(
            f"file holds a NUL character (line {line}): not text, or UTF-16/UTF-32 without a byte order mark",
            hint=_ENCODING_HINT,
        )
    return text
