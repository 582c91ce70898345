"""A call's parameters on the wire: the query string, the path, header values and cookies,
each written by the serialization table (``_serialize``) with the parameter's spec (style,
explode, allowReserved, content type) from the operation's ``Endpoint``.
"""

from __future__ import annotations

from typing import Dict, List, Mapping, Optional, Tuple
from urllib.parse import quote

from ._serde import to_jsonable
from ._serialize import DEFAULT_STYLES, ParamSpec, serialize
from ._types import NotGiven

__all__ = [
    "dots_kept",
    "encode_cookies",
    "encode_headers",
    "encode_pairs",
    "encode_query",
    "fill_path",
    "spec_of",
]

Specs = Mapping[Tuple[str, str], ParamSpec]

_DEFAULT_SPECS: Dict[str, ParamSpec] = {
    location: (style, style == "form", False, "") for location, style in DEFAULT_STYLES.items()
}


def spec_of(specs: Specs, location: str, name: str) -> ParamSpec:
    """A parameter's spec: declared on the endpoint, else its location's default."""
    return specs.get((location, name)) or _DEFAULT_SPECS[location]


def _given(value: object) -> bool:
    return value is not None and not isinstance(value, NotGiven)


def encode_query(values: Mapping[str, object], specs: Specs) -> List[str]:
    """The query-string fragments (``name=value``, percent-encoded) of the given values;
    ``NOT_GIVEN`` and ``None`` are left out."""
    parts = []
    for name, value in values.items():
        if _given(value):
            part = serialize("query", name, to_jsonable(value), spec_of(specs, "query", name))
            if part:
                parts.append(part)
    return parts


def encode_pairs(pairs: List[Tuple[str, str]]) -> List[str]:
    """Plain ``(name, text)`` pairs (credentials) as query-string fragments."""
    return [f"{quote(k, safe='-._~')}={quote(v, safe='-._~')}" for k, v in pairs]


def encode_headers(values: Mapping[str, object], specs: Specs) -> Dict[str, Optional[str]]:
    """Header parameters as header values (``simple``); ``None`` stays ``None`` (the header
    is removed), ``NOT_GIVEN`` is left out."""
    return {
        name: (
            None
            if value is None
            else serialize("header", name, to_jsonable(value), spec_of(specs, "header", name))
        )
        for name, value in values.items()
        if not isinstance(value, NotGiven)
    }


def encode_cookies(values: Mapping[str, object], specs: Specs) -> str:
    """Cookie parameters as the ``Cookie`` header's ``name=value`` pairs."""
    parts = []
    for name, value in values.items():
        if _given(value):
            part = serialize("cookie", name, to_jsonable(value), spec_of(specs, "cookie", name))
            if part:
                parts.append(part)
    return "; ".join(parts)


def fill_path(template: str, values: Mapping[str, object], specs: Specs) -> str:
    """The path with every ``{name}`` replaced by its serialized, percent-encoded value."""
    path = template
    for name, value in values.items():
        text = serialize("path", name, to_jsonable(value), spec_of(specs, "path", name))
        if not text:
            raise ValueError(f"path parameter {name!r} must not be empty")
        path = path.replace("{" + name + "}", text)
    return dots_kept(path)


def dots_kept(path: str) -> str:
    """The path with each segment that is only ``.`` or ``..`` percent-encoded, so that no URL
    normalization (httpx's included) reads it as "here" or "the parent": a value of ``..``
    stays one segment of data, and the spec's own path is sent as written."""
    if "/." not in path:
        return path
    return "/".join("%2E" * len(s) if s in (".", "..") else s for s in path.split("/"))
