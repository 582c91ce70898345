"""What OpenAPI 3.2 adds to path items, parameters and media types, read into what the rest
of the IR already knows.  A 3.2 document is read as 3.1 plus these:

* ``query`` (the QUERY method: a safe, idempotent request with a body) and
  ``additionalOperations`` (any other method: ``PURGE``, ``COPY``...; httpx sends every
  method in upper case) are operations like the standard ones;
* a ``querystring`` parameter (the whole query string as one value, described by its
  ``content``): with ``application/x-www-form-urlencoded`` content it is one argument whose
  object's properties become the query's name=value pairs (what ``form``/``explode`` does
  with an object); other media types are not supported yet: warned, the parameter skipped;
* a media type object may be a ``$ref`` (to ``components/mediaTypes``);
* ``itemSchema`` (the schema of each item of a sequential media type: ``text/event-stream``,
  ``application/jsonl``, ``application/json-seq``, ``multipart/mixed``): converted, and kept
  on ``Response.item_type`` / ``Body.item_type``; ``text/event-stream`` responses are streamed
  (see ``streams``); for the other media types the body is still read whole, with a warning;
* tag ``parent``/``kind`` (see ``tags``) and ``$self`` (see ``loader.refs``).

Anything else 3.2 adds is read as 3.1 reads it; nothing in it refuses a document.
"""

from __future__ import annotations

from typing import Any

from ..diagnostics import Diagnostics
from ..loader import Location, Workspace

STANDARD_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_FORM = "application/x-www-form-urlencoded"


def operations(
    item: dict[str, Any], item_loc: Location, minor: int, diagnostics: Diagnostics, is_token: Any
) -> list[tuple[str, dict[str, Any], Location]]:
    """The operations of a path item: (method as sent, operation object, its location)."""
    out = [(m, item[m], item_loc.child(m)) for m in STANDARD_METHODS if isinstance(item.get(m), dict)]
    if minor < 2:
        return out
    if isinstance(item.get("query"), dict):
        out.append(("query", item["query"], item_loc.child("query")))
    extra = item.get("additionalOperations")
    for method, op in sorted(extra.items()) if isinstance(extra, dict) else ():
        loc = item_loc.child("additionalOperations", method)
        if not isinstance(op, dict):
            continue
        if not is_token(method) or method.lower() in (*STANDARD_METHODS, "query"):
            why = "not an HTTP method name" if not is_token(method) else "a method with a field of its own"
            diagnostics.warning(f"additional operation {method!r} skipped: {why}", loc.file, loc.pointer)
            continue
        out.append((method, op, loc))
    return out


def querystring(p: dict[str, Any], loc: Location, diagnostics: Diagnostics) -> dict[str, Any] | None:
    """A ``querystring`` parameter as the query parameter that sends the same pairs, or None
    (warned) when its media type is not supported yet."""
    content = p.get("content")
    media_type = next(iter(content), "") if isinstance(content, dict) and content else ""
    if media_type.split(";", 1)[0].strip().lower() != _FORM:
        diagnostics.warning(
            f"querystring parameter {p['name']!r} ({media_type or 'no content'}) is not supported yet: "
            "only application/x-www-form-urlencoded is; skipped (pass the query with extra_query)",
            loc.file,
            loc.pointer,
        )
        return None
    return {**p, "in": "query", "style": "form", "explode": True}


def media(ws: Workspace, content: dict[str, Any], media_type: str, loc: Location) -> tuple[dict[str, Any], Location]:
    """A media type object and its location, following a ``$ref`` (3.2); raises RefError."""
    node, at = content[media_type], loc.child("content", media_type)
    if isinstance(node, dict) and "$ref" in node:
        at, node = ws.resolve(node["$ref"], at)
    return (node if isinstance(node, dict) else {}), at


def item_schema_warning(media_type: str, at: Location, diagnostics: Diagnostics, reading: str) -> None:
    diagnostics.warning(
        f"itemSchema of {media_type} (a sequence of items) is not streamed yet: the body is {reading} whole; "
        "the item type is generated",
        at.file,
        at.pointer + "/itemSchema",
    )
