"""Embedded schema resources: ``$id`` (JSON Schema 2020-12, which OpenAPI 3.1 schemas follow).

A schema that says ``$id: box.json`` is a resource of its own: ``$ref: box.json`` (resolved
against the base URI where it is written) names it, even when no file of that name exists,
and a ``$ref`` written inside it resolves against it (``#/$defs/item`` is the resource's own
``$defs``).  The base URI of a file is its path in the spec's folder; an ``$id`` resolves
against the base of the resource around it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urldefrag, urljoin

from ..diagnostics import pointer

# Keys whose values are data (examples, defaults), not schemas: an "$id" there is not one.
_DATA_KEYS = frozenset({"example", "examples", "default", "const", "enum"})


def id_index(doc: Any, file: str) -> dict[str, str]:
    """Each embedded resource of a file, by its absolute URI (its ``$id`` resolved against the
    resources around it), with its JSON pointer; the first one written wins."""
    found: dict[str, str] = {}
    stack: list[tuple[Any, tuple[str, ...], str]] = [(doc, (), file)]
    while stack:
        node, tokens, base = stack.pop()
        if isinstance(node, list):
            stack.extend((v, (*tokens, str(i)), base) for i, v in reversed(list(enumerate(node))))
            continue
        if not isinstance(node, dict):
            continue
        own = _resource(base, node.get("$id"))
        if own is not None and tokens:
            base = own
            found.setdefault(base, pointer(*tokens))
        for key, value in reversed(list(node.items())):
            if key not in _DATA_KEYS and not str(key).startswith("x-"):
                stack.append((value, (*tokens, str(key)), base))
    return found


def base_of(doc: Any, file: str, tokens: tuple[str, ...]) -> tuple[str, str]:
    """The base URI at a location, and the pointer of the resource that sets it ("" for the
    file itself): the innermost ``$id`` around the location, the location included."""
    base, at = file, ""
    node = doc
    walked: list[str] = []
    for token in ("", *tokens):
        if token:
            if isinstance(node, dict):
                node = node.get(token)
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                break
            walked.append(token)
        own = _resource(base, node.get("$id")) if isinstance(node, dict) else None
        if own is not None and walked:
            base, at = own, pointer(*walked)
    return base, at


def _resource(base: str, own: Any) -> str | None:
    """The URI an ``$id`` gives its schema, or None: not a string, only a fragment (an older
    draft's plain name, not a resource of its own), or not a URI reference."""
    if not isinstance(own, str) or not urldefrag(own).url:
        return None
    try:
        return urldefrag(urljoin(base, own)).url
    except ValueError:  # "http://[x": an invalid IPv6 host
        return None
