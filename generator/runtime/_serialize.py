"""OpenAPI parameter serialization: every ``style``/``explode`` combination, as one table.

Each style is a row of RFC 6570's expansion table (Appendix A) plus OpenAPI's query-only
styles; ``serialize`` reads the row and the value's kind (primitive, array, object) and
writes the parameter as it goes on the wire:

- ``path``: the text that replaces ``{name}`` (``simple``, ``label``, ``matrix``);
- ``query``: the query-string fragment, percent-encoded (``color=blue&color=black``), as
  ``form``, ``spaceDelimited``, ``pipeDelimited`` or ``deepObject``; ``allowReserved`` keeps
  RFC 3986's reserved characters that a query string can carry;
- ``header``: the header value (``simple``), not percent-encoded;
- ``cookie``: ``name=value`` cookie pairs (``form``; exploded values become several pairs).

Values are JSON-ready data (``to_jsonable``): booleans go out as ``true``/``false``, ``None``
as the empty string; an array item or object value that is itself an array or object (which
the OpenAPI styles do not define, except nested ``deepObject`` keys) goes out as compact
JSON text, never as a Python ``repr``.  A parameter declared with ``content`` (say
``application/json``) is written in that media type first, then sent as one string.
"""

from __future__ import annotations

import json
import re
from enum import Enum
from typing import Any, Dict, List, NamedTuple, Tuple
from urllib.parse import quote

__all__ = ["DEFAULT_STYLES", "serialize", "text_of"]  # and ParamSpec, for _request and _qs


class Row(NamedTuple):
    """How one style writes a value (RFC 6570, Appendix A)."""

    first: str  # written before the value
    named: bool  # ``name=value`` (matrix, form...) rather than the bare value
    sep: str  # between the items of an exploded array or object
    join: str  # between the items of an array or object that is not exploded
    ifemp: str  # after the name when the value is the empty string


STYLES: Dict[str, Row] = {
    "simple": Row("", False, ",", ",", ""),
    "label": Row(".", False, ".", ",", ""),
    "matrix": Row(";", True, ";", ",", ""),
    "form": Row("", True, "&", ",", "="),
    "spaceDelimited": Row("", True, "&", "%20", "="),
    "pipeDelimited": Row("", True, "&", "%7C", "="),
    "cookie": Row("", True, "; ", ",", "="),  # OpenAPI 3.2; also ``form`` in a cookie
}

# The style each location uses when the spec names none; ``explode`` defaults to true for
# ``form`` (and ``cookie``), false for every other style.
DEFAULT_STYLES: Dict[str, str] = {
    "path": "simple",
    "query": "form",
    "header": "simple",
    "cookie": "form",
}

# (style, explode, allowReserved, content media type or "") of one parameter.
ParamSpec = Tuple[str, bool, bool, str]

_UNRESERVED = "-._~"  # with letters and digits, never encoded
# Reserved characters a query value keeps under ``allowReserved``: all of RFC 3986's but
# those that would end the value or the query (``&``, ``#``), mean a space (``+``) in a
# form-encoded query, or are not allowed in a query at all (``[``, ``]``).
_RESERVED_IN_QUERY = ":/?@!$'()*,;="
_COOKIE_SAFE = "!#$&'()*+-./:<=>?@[]^_`{|}~"  # RFC 6265 cookie-octets, but ``%``
_TRIPLE = re.compile(r"(%[0-9A-Fa-f]{2})")


def _query(text: str) -> str:
    return quote(text, safe=_UNRESERVED)


def _query_reserved(text: str) -> str:
    # reserved expansion keeps percent-encoded triples as they are (RFC 6570, section 3.2.3)
    parts = _TRIPLE.split(text)
    return "".join(
        p if i % 2 else quote(p, safe=_UNRESERVED + _RESERVED_IN_QUERY) for i, p in enumerate(parts)
    )


def _path(text: str) -> str:
    return quote(text, safe=_UNRESERVED)


def _header(text: str) -> str:
    return text


def _cookie(text: str) -> str:
    return quote(text, safe=_COOKIE_SAFE)


def text_of(value: Any) -> str:
    """One primitive as text: ``true``/``false``, ``None`` as ``""``; an array or object
    (nested where the style has no place for it) as compact JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    if isinstance(value, Enum):  # a caller's own enum: its value, not ``Color.RED``
        return text_of(value.value)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def _is_json(media_type: str) -> bool:
    base = media_type.split(";", 1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def serialize(location: str, name: str, value: Any, spec: ParamSpec) -> str:
    """``value`` (JSON-ready) of the parameter ``name`` in ``location``, as sent; ``""`` when
    nothing is sent (an empty array or object in a query or a cookie)."""
    style, explode, allow_reserved, content = spec
    if content:
        value = (
            json.dumps(value, separators=(",", ":"), ensure_ascii=False)
            if _is_json(content)
            else text_of(value)
        )
    if location == "query":
        enc = _query_reserved if allow_reserved else _query
    else:
        enc = {"path": _path, "header": _header, "cookie": _cookie}.get(location, _query)
    if style == "deepObject" and isinstance(value, dict):
        return "&".join(_deep(enc(name), value, enc))
    if location == "cookie" and style == "form":
        style = "cookie"
    row = STYLES.get(style) or STYLES[DEFAULT_STYLES.get(location, "form")]
    key = enc(name)
    if isinstance(value, list):
        if not value:
            return ""
        items = [enc(text_of(v)) for v in value]
        if explode and row.named:
            if row.join != ",":  # space/pipeDelimited exploded: not defined; repeat the key
                row = STYLES["form"]
            return row.first + row.sep.join(f"{key}={item}" for item in items)
        sep = row.sep if explode else row.join
        return row.first + (f"{key}=" if row.named else "") + sep.join(items)
    if isinstance(value, dict):
        if not value:
            return ""
        if explode:
            sep = "&" if row.join != "," else row.sep  # space/pipeDelimited exploded: as form
            return row.first + sep.join(
                f"{enc(str(k))}={enc(text_of(v))}" for k, v in value.items()
            )
        flat = row.join.join(f"{enc(str(k))}{row.join}{enc(text_of(v))}" for k, v in value.items())
        return row.first + (f"{key}=" if row.named else "") + flat
    text = enc(text_of(value))
    if row.named:
        return f"{row.first}{key}{'=' + text if text else row.ifemp}"
    return row.first + text


def _deep(prefix: str, value: Dict[str, Any], enc: Any) -> List[str]:
    """``color[R]=100&color[G]=200``; deeper objects nest the keys (``a[b][c]=1``) and arrays
    repeat them (``a[b]=1&a[b]=2``), as most servers read them (OpenAPI leaves both open)."""
    out: List[str] = []
    for key, sub in value.items():
        name = f"{prefix}%5B{enc(str(key))}%5D"
        if isinstance(sub, dict):
            out.extend(_deep(name, sub, enc))
        elif isinstance(sub, list):
            out.extend(f"{name}={enc(text_of(v))}" for v in sub)
        else:
            out.append(f"{name}={enc(text_of(sub))}")
    return out
