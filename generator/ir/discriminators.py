"""The tags of a discriminated union: ``discriminator.mapping``, the variants' own ``const``
tags, and the variants' names."""

from __future__ import annotations

from typing import Any

from ..diagnostics import Diagnostics
from ..loader import Location, RefError, Workspace
from .types import Named, TypeRef


def discriminator(
    ws: Workspace, diagnostics: Diagnostics, node: dict[str, Any], members: tuple[TypeRef, ...], loc: Location
) -> tuple[str | None, tuple[tuple[str, int], ...]]:
    disc = node.get("discriminator")
    if not isinstance(disc, dict) or not isinstance(disc.get("propertyName"), str):
        return None, ()
    if "defaultMapping" in disc:  # OpenAPI 3.2
        at = loc.child("discriminator", "defaultMapping")
        message = "defaultMapping is not supported yet: a value with another tag is kept as it came"
        diagnostics.warning(message, at.file, at.pointer)
    index = {m.key: i for i, m in enumerate(members) if isinstance(m, Named)}
    tags: dict[str, int] = {}
    raw_mapping = disc.get("mapping")
    mapping: dict[str, Any] = raw_mapping if isinstance(raw_mapping, dict) else {}
    for tag, ref in sorted(mapping.items()):
        try:
            target = ws.resolve(ref if "#" in str(ref) or "/" in str(ref) else f"#/components/schemas/{ref}", loc)[0]
        except RefError:
            continue
        if str(target) in index:
            tags[str(tag)] = index[str(target)]
    prop = disc["propertyName"]
    for tag, i in _const_tags(ws, node, prop, index, loc):
        tags.setdefault(tag, i)
    for key, i in index.items():
        if i not in tags.values():
            tags[key.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")] = i
    return prop, tuple(sorted(tags.items()))


def _const_tags(
    ws: Workspace, node: dict[str, Any], prop: str, index: dict[str, int], loc: Location
) -> list[tuple[str, int]]:
    """Tags that variants fix themselves (``const`` or a one-value ``enum`` on the property)."""
    out: list[tuple[str, int]] = []
    members = node.get("oneOf") or node.get("anyOf") or []
    for member in members if isinstance(members, list) else []:
        if not isinstance(member, dict) or "$ref" not in member:
            continue
        try:
            target, schema = ws.resolve(member["$ref"], loc)
        except RefError:
            continue
        props = schema.get("properties") if isinstance(schema, dict) else None
        spec = props.get(prop) if isinstance(props, dict) else None
        if str(target) not in index or not isinstance(spec, dict):
            continue
        values = [spec["const"]] if "const" in spec else spec.get("enum")
        if isinstance(values, list) and len(values) == 1 and isinstance(values[0], str):
            out.append((values[0], index[str(target)]))
    return out
