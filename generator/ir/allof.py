"""``allOf`` as JSON Schema means it: the intersection of its members.

An object schema and its ``allOf`` members (nested ones too) merge into one set of properties
and ``required`` names.  A property declared by several of them must satisfy every
declaration, so it keeps the narrowest one: a re-declaration that only documents
(``description``, ``example``...) never replaces a typed one, two inline primitives merge
their keywords (``type`` and ``enum`` intersected), and anything else (a ``$ref``, an object)
becomes an ``allOf`` of both.  The variants of a ``oneOf``/``anyOf`` beside the properties
(or in a member) add their properties as optional ones; the names every variant requires
stay required.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..loader import Location

# Keywords that never change which values are valid.
ANNOTATIONS = frozenset(
    {
        "description",
        "title",
        "default",
        "example",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "xml",
        "externalDocs",
        "$comment",
        "discriminator",
        "nullable",
        "format",
    }
)
# Keywords whose schemas cannot be merged key by key.
_COMPOSITE = frozenset({"$ref", "allOf", "oneOf", "anyOf", "not", "properties", "items", "prefixItems"})


@dataclass(slots=True)
class Merged:
    """The properties, required names and typed extras of an object schema with its allOfs."""

    sources: dict[str, list[tuple[Any, Location]]] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    extras: list[tuple[Any, Location]] = field(default_factory=list)
    loose: list[Location] = field(default_factory=list)  # oneOf/anyOf merged as optional properties

    @property
    def props(self) -> dict[str, tuple[Any, Location]]:
        """Each property's schema: the intersection of every declaration of it."""
        return {wire: intersect(found) for wire, found in self.sources.items()}

    def update(self, other: Merged) -> None:
        for wire, found in other.sources.items():
            mine = self.sources.setdefault(wire, [])
            known = {loc for _, loc in mine}
            # a member met twice (``allOf: [A, A]``, diamonds) counts once: linear, not doubling
            mine.extend(item for item in found if item[1] not in known)
        self.required |= other.required
        self.extras.extend(e for e in other.extras if e not in self.extras)
        self.loose.extend(at for at in other.loose if at not in self.loose)

    def add_own(self, node: dict[str, Any], loc: Location) -> None:
        props = node.get("properties")
        for wire, sub in props.items() if isinstance(props, dict) else ():
            self.sources.setdefault(str(wire), []).append((sub, loc.child("properties", wire)))
        req = node.get("required")
        if isinstance(req, list):
            self.required.update(str(r) for r in req)
        ap = node.get("additionalProperties")
        if isinstance(ap, dict) and ap:
            self.extras.append((ap, loc.child("additionalProperties")))

    def add_variants(self, variants: list[Merged]) -> None:
        """The properties of ``oneOf``/``anyOf`` variants: optional unless all require them."""
        if not variants:
            return
        per: dict[str, list[tuple[Any, Location]]] = {}
        for variant in variants:
            for wire, item in variant.props.items():
                per.setdefault(wire, []).append(item)
        for wire, items in per.items():
            nodes = [n for n, _ in items]
            if all(n == nodes[0] for n in nodes):
                entry = items[0]
            elif not all(constrains(n) for n in nodes):
                entry = ({}, items[-1][1])  # any value in some variant
            else:  # the variants are alternatives: any of their declarations
                entry = ({"anyOf": nodes}, items[-1][1].child("anyOf"))
            self.sources.setdefault(wire, []).append(entry)
        self.required |= set.intersection(*(v.required for v in variants))


def constrains(node: Any) -> bool:
    """Whether a schema changes which values are valid (``{}``, ``true`` and a bare
    description do not)."""
    if isinstance(node, bool):
        return not node
    if not isinstance(node, dict):
        return False
    return any(k not in ANNOTATIONS and not str(k).startswith("x-") for k in node)


def intersect(found: list[tuple[Any, Location]]) -> tuple[Any, Location]:
    """One schema for a property declared in several places (see the module doc)."""
    narrowing = [item for item in found if constrains(item[0])]
    if not narrowing:
        return found[-1]
    if len(narrowing) == 1:
        return narrowing[0]
    nodes = [n for n, _ in narrowing]
    last = narrowing[-1][1]
    if all(isinstance(n, dict) and not (_COMPOSITE & n.keys()) for n in nodes):
        merged: dict[str, Any] = {}
        for n in nodes:
            for key, value in n.items():
                if key == "type" and "type" in merged:
                    value = _common(_listed(merged["type"]), _listed(value))
                elif key == "enum" and isinstance(merged.get("enum"), list) and isinstance(value, list):
                    value = [v for v in merged["enum"] if v in value] or value
                merged[key] = value
        return merged, last
    members: list[Any] = []
    for n in nodes:
        members.extend(n["allOf"] if isinstance(n, dict) and set(n) == {"allOf"} else [n])
    return {"allOf": members}, last.child("allOf")


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _common(a: list[Any], b: list[Any]) -> Any:
    both = [t for t in a if t in b]
    if "integer" in b and "number" in a and "integer" not in both:
        both.append("integer")
    if "integer" in a and "number" in b and "integer" not in both:
        both.append("integer")
    out = both or b
    return out[0] if len(out) == 1 else out
