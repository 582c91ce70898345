"""Structural checks that name the place they refuse: a JSON pointer, and a line when the text
is at hand.

A document is checked three times, each pass iterative so that no input can exhaust the stack:

* on the text, only where the parser gives no position: the JSON tokens (nesting, repeated
  keys) and the YAML events (nesting, before PyYAML composes a node tree, which it does
  recursively in C: a 100,000-level document would crash the process);
* on the YAML node tree: tags, keys that are not scalars, repeated keys, aliases that contain
  themselves or expand far beyond the text (alias bombs), nesting through aliases;
* on the parsed data: nesting, and lone surrogates (JSON can escape one; it is not Unicode and
  cannot be written as UTF-8), in strings and in keys.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from ..diagnostics import pointer

MAX_DEPTH = 500
MAX_EXPANSION = 100_000  # YAML aliases may expand to this many nodes, or 10x the distinct ones

_Path = tuple[str | int, "_Path"] | None  # (token, parent): a pointer, built on demand
_ALLOWED_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map", "merge", "omap", "pairs")
)
_MERGE = "tag:yaml.org,2002:merge"
_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},]')
_DUPLICATE_HINT = "YAML and JSON parsers disagree on which value wins; keep one"
_JSON_DUPLICATE_HINT = "JSON parsers disagree on which value wins; keep one"
_TAG_HINT = "OpenAPI documents are plain data"


class DocumentError(Exception):
    def __init__(self, message: str, pointer: str = "", hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.pointer = pointer
        self.hint = hint


class DocumentErrors(Exception):
    """Several independent problems in one document (each with its own pointer)."""

    def __init__(self, problems: list[DocumentError]) -> None:
        super().__init__(problems[0].message)
        self.problems = problems


def path_pointer(path: _Path) -> str:
    tokens: list[str | int] = []
    while path is not None:
        tokens.append(path[0])
        path = path[1]
    return pointer(*reversed(tokens))


def _deeper(where: str = "") -> str:
    return f"nesting deeper than {MAX_DEPTH} levels" + (f" ({where})" if where else "")


# -- JSON text ----------------------------------------------------------------------------


class _JsonFrame:
    __slots__ = ("index", "is_object", "key", "keys", "want_key")

    def __init__(self, is_object: bool) -> None:
        self.is_object = is_object
        self.key = ""
        self.index = 0
        self.keys: set[str] = set()
        self.want_key = True


def _text_position(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    return f"line {line}, column {pos - text.rfind(chr(10), 0, pos)}"


def _json_key(token: str) -> str:
    try:
        key = json.loads(token)
    except ValueError:
        return token[1:-1]
    return key if isinstance(key, str) else token[1:-1]


def json_problems(text: str) -> list[DocumentError]:
    """Repeated keys, and the first place nesting goes deeper than ``MAX_DEPTH``, found on the
    tokens of JSON text (for when ``json.loads`` cannot say where)."""
    found: list[DocumentError] = []
    stack: list[_JsonFrame] = []

    def here() -> _Path:
        path: _Path = None
        for frame in stack:
            path = (frame.key if frame.is_object else frame.index, path)
        return path

    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        top = stack[-1] if stack else None
        if token[0] == '"':
            if top is not None and top.is_object and top.want_key:
                top.key, top.want_key = _json_key(token), False
                if top.key in top.keys:
                    where = _text_position(text, match.start())
                    found.append(
                        DocumentError(
                            f"duplicate key {top.key!r} ({where})", path_pointer(here()), _JSON_DUPLICATE_HINT
                        )
                    )
                top.keys.add(top.key)
        elif token in "{[":
            if len(stack) > MAX_DEPTH:
                found.append(DocumentError(_deeper(_text_position(text, match.start())), path_pointer(here())))
                break
            stack.append(_JsonFrame(token == "{"))
        elif token in "}]":
            if stack:
                stack.pop()
        elif top is not None:  # ","
            if top.is_object:
                top.want_key = True
            else:
                top.index += 1
    return found


# -- YAML events --------------------------------------------------------------------------


class _EventFrame:
    __slots__ = ("index", "is_key", "is_map", "key", "want_key")

    def __init__(self, is_map: bool, is_key: bool) -> None:
        self.is_map = is_map
        self.key = ""
        self.index = 0
        self.want_key = True
        self.is_key = is_key


def yaml_depth(loader: Any) -> None:
    """Refuse YAML nesting deeper than ``MAX_DEPTH`` from the event stream (libyaml parses
    iteratively), before any node tree is built.  Syntax errors surface here as YAMLError."""
    stack: list[_EventFrame] = []

    def done(frame: _EventFrame | None) -> None:
        if frame is None:
            return
        if frame.is_map:
            frame.want_key = not frame.want_key
        else:
            frame.index += 1

    while loader.check_event():
        event = loader.get_event()
        top = stack[-1] if stack else None
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            is_key = top is not None and top.is_map and top.want_key
            if is_key and top is not None:
                top.key, top.want_key = "?", False
            if len(stack) > MAX_DEPTH:
                path: _Path = None
                for frame in stack:
                    path = (frame.key if frame.is_map else frame.index, path)
                mark = event.start_mark
                raise DocumentError(_deeper(f"line {mark.line + 1}" if mark else ""), path_pointer(path))
            stack.append(_EventFrame(isinstance(event, yaml.MappingStartEvent), is_key))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            closed = stack.pop()
            if not closed.is_key:
                done(stack[-1] if stack else None)
        elif isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
            if top is not None and top.is_map and top.want_key:
                top.key = event.value if isinstance(event, yaml.ScalarEvent) else f"*{event.anchor}"
            done(top)


# -- YAML nodes ---------------------------------------------------------------------------


def key_text(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    if isinstance(key, (int, float, str)):
        return str(key)
    raise DocumentError("a mapping key must be a scalar", hint="quote the key")


_FLOAT = "tag:yaml.org,2002:float"
NAN_HINT = "JSON has no NaN or Infinity; write a string or a number"


def _line(node: yaml.Node) -> str:
    return f"line {node.start_mark.line + 1}"


def _scalar_key(loader: Any, node: yaml.Node) -> str:
    if node.tag == "tag:yaml.org,2002:str" or node.tag not in _ALLOWED_TAGS or node.tag == _MERGE:
        return str(node.value)
    return key_text(loader.construct_object(node))


def check_nodes(loader: Any, root: yaml.Node) -> None:
    """Check a composed YAML node tree; raises DocumentError (structural: stops at once) or
    DocumentErrors (every tag, key and duplicate problem)."""
    problems: list[DocumentError] = []
    sizes: dict[int, tuple[int, int]] = {}  # id -> (expanded node count, height)
    on_path: set[int] = set()
    key_nodes = 0
    stack: list[tuple[yaml.Node, _Path, int, bool]] = [(root, None, 0, False)]
    while stack:
        node, path, depth, finished = stack.pop()
        key = id(node)
        if finished:
            on_path.discard(key)
            children = _children(node)
            keys = len(node.value) if isinstance(node, yaml.MappingNode) else 0
            size = 1 + keys + sum(sizes[id(c)][0] for c in children)
            height = 1 + max((sizes[id(c)][1] for c in children), default=0)
            sizes[key] = (size, height)
            continue
        if key in on_path:
            raise DocumentError(f"an alias contains itself ({_line(node)})", path_pointer(path))
        if key in sizes:
            if depth + sizes[key][1] - 1 > MAX_DEPTH:
                raise DocumentError(_deeper(f"through an alias, {_line(node)}"), path_pointer(path))
            continue
        if depth > MAX_DEPTH:
            raise DocumentError(_deeper(_line(node)), path_pointer(path))
        if node.tag not in _ALLOWED_TAGS:
            problems.append(
                DocumentError(f"tag {node.tag!r} is not allowed ({_line(node)})", path_pointer(path), _TAG_HINT)
            )
        elif node.tag == _FLOAT and str(node.value).lower().endswith((".inf", ".nan")):
            problems.append(
                DocumentError(f"{node.value} is not a JSON value ({_line(node)})", path_pointer(path), NAN_HINT)
            )
        on_path.add(key)
        stack.append((node, path, depth, True))
        if isinstance(node, yaml.MappingNode):
            key_nodes += len(node.value)
            stack.extend(_members(loader, node, path, depth, problems))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, (i, path), depth + 1, False) for i, child in reversed(list(enumerate(node.value))))
    expanded, distinct = sizes[id(root)][0], len(sizes) + key_nodes
    if expanded > MAX_EXPANSION and expanded > 10 * distinct:
        raise DocumentError(
            f"YAML aliases expand {distinct} nodes into {expanded} (an alias bomb)",
            hint="write the repeated parts out or use $ref",
        )
    if problems:
        raise DocumentErrors(problems)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [v for _, v in node.value]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _members(
    loader: Any, node: yaml.MappingNode, path: _Path, depth: int, problems: list[DocumentError]
) -> list[tuple[yaml.Node, _Path, int, bool]]:
    """The values of a mapping to visit, with their paths; key problems are recorded."""
    out: list[tuple[yaml.Node, _Path, int, bool]] = []
    seen: set[str] = set()
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(
                DocumentError(
                    f"a mapping key must be a scalar ({_line(key_node)})", path_pointer(path), "quote the key"
                )
            )
            out.append((value_node, ("?", path), depth + 1, False))
            continue
        if key_node.tag not in _ALLOWED_TAGS:
            problems.append(
                DocumentError(f"tag {key_node.tag!r} is not allowed ({_line(key_node)})", path_pointer(path), _TAG_HINT)
            )
        text = _scalar_key(loader, key_node)
        if text in seen and key_node.tag != _MERGE:  # a key may override what "<<" merges in
            problems.append(
                DocumentError(
                    f"duplicate key {text!r} ({_line(key_node)})", path_pointer((text, path)), _DUPLICATE_HINT
                )
            )
        seen.add(text)
        out.append((value_node, (text, path), depth + 1, False))
    out.reverse()
    return out


# -- parsed data --------------------------------------------------------------------------


def check_data(data: Any) -> None:
    """Refuse nesting deeper than ``MAX_DEPTH`` (DocumentError) and every lone surrogate in a
    string or a key (DocumentErrors)."""
    problems: list[DocumentError] = []
    stack: list[tuple[Any, int, _Path]] = [(data, 0, None)]
    while stack:
        node, depth, path = stack.pop()
        if depth > MAX_DEPTH:
            raise DocumentError(_deeper(), path_pointer(path))
        if isinstance(node, dict):
            for key, value in node.items():
                member = (key, path)
                if isinstance(key, str) and _SURROGATE.search(key):
                    problems.append(DocumentError("a key holds a lone surrogate (not Unicode)", path_pointer(member)))
                stack.append((value, depth + 1, member))
        elif isinstance(node, list):
            stack.extend((v, depth + 1, (i, path)) for i, v in enumerate(node))
        elif isinstance(node, str) and _SURROGATE.search(node):
            problems.append(DocumentError("a string holds a lone surrogate (not Unicode)", path_pointer(path)))
    if problems:
        raise DocumentErrors(problems)
