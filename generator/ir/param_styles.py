"""How a parameter or a form-body property goes on the wire: style, explode, allowReserved and
content type, read from the spec and checked against what OpenAPI defines and the runtime's
serialization table (``generator/runtime/_serialize.py``) can send.

A combination the spec leaves undefined, or that its location cannot carry, is sent the way
the warning says (never changed silently): a style foreign to the location falls back to the
location's default; ``deepObject`` on a value that is not an object is sent as ``form``;
exploded ``spaceDelimited``/``pipeDelimited`` arrays repeat the key; arrays or objects nested
where a style has no place for them go out as JSON text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostics
from ..loader import Location, RefError, Workspace

__all__ = ["Serialization", "read_encoding", "read_serialization"]

STYLES: dict[str, tuple[str, ...]] = {
    "path": ("simple", "label", "matrix"),
    "query": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "header": ("simple",),
    "cookie": ("form", "cookie"),
}
DEFAULT_STYLE = {"path": "simple", "query": "form", "header": "simple", "cookie": "form"}
_EXPLODED_BY_DEFAULT = frozenset({"form", "cookie"})
_FORM_BODY_STYLES = STYLES["query"]


@dataclass(frozen=True, slots=True)
class Serialization:
    style: str
    explode: bool
    allow_reserved: bool = False


@dataclass(slots=True)
class _Shapes:
    """The kind of a schema (``object``, ``array``, ``primitive`` or ``""`` when unknown),
    following ``$ref``s."""

    ws: Workspace
    loc: Location

    def node(self, schema: Any) -> Any:
        seen = 0
        loc = self.loc
        while isinstance(schema, dict) and "$ref" in schema and seen < 20:
            try:
                loc, schema = self.ws.resolve(schema["$ref"], loc)
            except RefError:
                return None
            seen += 1
        return schema

    def kind(self, schema: Any) -> str:
        node = self.node(schema)
        if not isinstance(node, dict):
            return ""
        types = node.get("type")
        kinds = {types} if isinstance(types, str) else set(types) if isinstance(types, list) else set()
        kinds.discard("null")
        if kinds == {"object"} or (not kinds and ("properties" in node or "additionalProperties" in node)):
            return "object"
        if kinds == {"array"} or (not kinds and "items" in node):
            return "array"
        if kinds and kinds <= {"string", "integer", "number", "boolean"}:
            return "primitive"
        return ""

    def members(self, schema: Any) -> list[Any]:
        """The schemas of an array's items or an object's property values."""
        node = self.node(schema)
        if not isinstance(node, dict):
            return []
        out = [node["items"]] if isinstance(node.get("items"), dict) else []
        props = node.get("properties")
        if isinstance(props, dict):
            out.extend(props.values())
        if isinstance(node.get("additionalProperties"), dict):
            out.append(node["additionalProperties"])
        return out


def read_serialization(
    p: dict[str, Any], schema: Any, ws: Workspace, loc: Location, diagnostics: Diagnostics
) -> Serialization:
    """The style, explode and allowReserved of parameter ``p`` (at ``loc``) in its location."""
    location = str(p.get("in"))
    default = DEFAULT_STYLE.get(location, "form")
    style = p.get("style") if isinstance(p.get("style"), str) else default
    explicit_explode = isinstance(p.get("explode"), bool)

    def warn(message: str, field: str = "style") -> None:
        pointer = loc.pointer + (f"/{field}" if field in p else "")
        diagnostics.warning(f"{location} parameter {p.get('name')!r}: {message}", loc.file, pointer)

    if style not in STYLES.get(location, (default,)):
        warn(f"style {style!r} is not defined for {location} parameters; sent as {default!r}")
        style = default
    explode = p["explode"] if explicit_explode else style in _EXPLODED_BY_DEFAULT
    allow_reserved = p.get("allowReserved") is True
    if allow_reserved and location != "query":
        warn("allowReserved applies to query parameters only; ignored", "allowReserved")
        allow_reserved = False
    if "content" in p:
        return Serialization(default, default in _EXPLODED_BY_DEFAULT, allow_reserved)
    shapes = _Shapes(ws, loc)
    kind = shapes.kind(schema)
    if style == "deepObject":
        if kind not in ("object", ""):
            warn(f"deepObject is defined for objects only; this {kind} is sent as 'form'")
            return Serialization("form", True, allow_reserved)
        if explicit_explode and not explode:
            warn("deepObject with explode: false is not defined; sent exploded", "explode")
        if any(shapes.kind(m) == "object" for m in shapes.members(schema)):
            warn("a deepObject property that is an object is not defined by OpenAPI; sent as name[key][property]=value")
        return Serialization(style, True, allow_reserved)
    if style in ("spaceDelimited", "pipeDelimited") and explode and kind in ("array", "object"):
        warn(f"{style} with explode: true is not defined; sent as repeated keys, as 'form'", "explode")
    if kind in ("array", "object") and any(shapes.kind(m) in ("array", "object") for m in shapes.members(schema)):
        warn(f"style {style!r} does not define {kind}s holding arrays or objects; each such value is sent as JSON text")
    return Serialization(style, explode, allow_reserved)


def read_encoding(
    media: dict[str, Any], media_loc: Location, form: bool, diagnostics: Diagnostics
) -> tuple[tuple[str, str, bool, bool, str], ...]:
    """A form or multipart body's ``encoding``: (property, style or "", explode,
    allowReserved, contentType or "") per property, in the spec's order.  Style, explode and
    allowReserved count for form-urlencoded bodies only (OpenAPI 3.1); a multipart part
    follows its content type."""
    raw = media.get("encoding")
    if not isinstance(raw, dict):
        return ()
    out = []
    for prop, entry in raw.items():
        if not isinstance(entry, dict):
            continue
        at = media_loc.child("encoding", prop)
        content_type = entry.get("contentType")
        # a list of media types ("image/png, image/jpeg"): the part is sent as the first
        content_type = content_type.split(",", 1)[0].strip() if isinstance(content_type, str) else ""
        style = ""
        if form and any(k in entry for k in ("style", "explode", "allowReserved")):
            style = str(entry["style"]) if isinstance(entry.get("style"), str) else "form"
            if style not in _FORM_BODY_STYLES:
                diagnostics.warning(
                    f"encoding of {prop!r}: style {style!r} is not defined for form bodies; sent as 'form'",
                    at.file,
                    at.pointer + "/style",
                )
                style = "form"
        explode = entry["explode"] if isinstance(entry.get("explode"), bool) else style in ("", "form")
        out.append((str(prop), style, explode, entry.get("allowReserved") is True, content_type))
    return tuple(out)
