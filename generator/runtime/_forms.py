"""Form bodies: ``application/x-www-form-urlencoded`` and ``multipart/form-data``, property by
property as the request body's ``encoding`` object says, else by OpenAPI's defaults.

An encoding entry is ``(style, explode, allowReserved, contentType)``; ``style`` is ``""``
when the spec sets none of style, explode and allowReserved, and ``contentType`` is ``""``
when the spec sets none.

- form-urlencoded: a property with a style is written as a query parameter of that style;
  otherwise by its content type (``application/json``: JSON text); without either, an array
  repeats the key (``tag=a&tag=b``), an object is JSON text (OpenAPI's default content type
  for objects), a primitive is its text.
- multipart: one part per property, one per item of an array; a part's content type is the
  encoding's, else ``application/json`` for an object, ``application/octet-stream`` for a
  file, none (text/plain) for a primitive.  The body is multipart even without a file.
"""

from __future__ import annotations

import json
from typing import Any, List, Mapping, Tuple

from ._serde import to_jsonable
from ._serialize import serialize, text_of

__all__ = ["form_body", "multipart_body"]

Encoding = Tuple[str, bool, bool, str]
Part = Tuple[str, Tuple[Any, ...]]


def _is_json(media_type: str) -> bool:
    base = media_type.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def _as(media_type: str, value: Any) -> str:
    return (
        json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        if _is_json(media_type)
        else text_of(value)
    )


def form_body(fields: Mapping[str, Any], encoding: Mapping[str, Encoding]) -> bytes:
    """The urlencoded body: the same percent-encoding as a query string."""
    parts: List[str] = []
    for name, raw in fields.items():
        value = to_jsonable(raw)
        style, explode, reserved, content_type = encoding.get(name, ("", True, False, ""))
        if style:
            spec = (style, explode, reserved, "")
        elif content_type:
            spec = ("form", True, False, content_type)
        elif isinstance(value, dict):
            spec = ("form", True, False, "application/json")
        else:
            spec = ("form", True, False, "")
        part = serialize("query", name, value, spec)
        if part:
            parts.append(part)
    return "&".join(parts).encode("ascii")


def _is_file(value: Any) -> bool:
    return isinstance(value, (bytes, bytearray, tuple)) or hasattr(value, "read")


def _file(value: Any, content_type: str) -> Tuple[Any, ...]:
    if isinstance(value, tuple):
        return value  # (filename, content[, content type[, headers]]) as httpx takes it
    name = getattr(value, "name", None)
    filename = name.rsplit("/", 1)[-1] if isinstance(name, str) else "upload"
    return (filename, value, content_type or "application/octet-stream")


def multipart_body(fields: Mapping[str, Any], encoding: Mapping[str, Encoding]) -> List[Part]:
    """The ``files=`` argument of httpx: every part, files and text alike, so that httpx
    always sends ``multipart/form-data``."""
    parts: List[Part] = []
    for name, raw in fields.items():
        content_type = encoding.get(name, ("", True, False, ""))[3]
        if isinstance(raw, list) and not (content_type and _is_json(content_type)):
            for item in raw:
                parts.append((name, _part(item, content_type)))
        else:
            parts.append((name, _part(raw, content_type)))
    return parts


def _part(raw: Any, content_type: str) -> Tuple[Any, ...]:
    if _is_file(raw):
        return _file(raw, content_type)
    value = to_jsonable(raw)
    if not content_type and isinstance(value, (dict, list)):
        content_type = "application/json"
    if content_type:
        return (None, _as(content_type, value).encode("utf-8"), content_type)
    return (None, text_of(value).encode("utf-8"))
