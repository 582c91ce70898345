"""What a Schema Object is, read from its keywords alone (no ``$ref`` followed)."""

from __future__ import annotations

from typing import Any, Callable

# Keywords that change which values are valid but are neither typed nor validated by the SDK
# (each is reported once, with a warning at the keyword).
UNCHECKED = {
    "not": "a value the other keywords allow, whatever 'not' excludes",
    "if": "a value the other keywords allow, without the 'if'/'then'/'else' conditions",
    "patternProperties": "the object's other properties as any value, whatever their names",
    "dependentRequired": "objects without the properties it makes required",
    "dependentSchemas": "objects without the schemas it applies",
    "propertyNames": "any property name",
    "contains": "arrays without a matching item",
    "unevaluatedProperties": "properties no other keyword declares",
    "unevaluatedItems": "items no other keyword declares",
}


def type_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def is_nullable(node: dict[str, Any]) -> bool:
    if node.get("nullable") is True or "null" in type_list(node.get("type")):
        return True
    values = node.get("enum")
    return isinstance(values, list) and None in values and len(values) > 1


def is_object_model(node: dict[str, Any], is_object: Callable[[Any], bool] = lambda m: True) -> bool:
    """An object with declared properties, or an ``allOf`` of several objects (or of one object,
    ``is_object`` says which member is, and ``required`` names), becomes a model."""
    if isinstance(node.get("properties"), dict) and node["properties"]:
        return True
    all_of = node.get("allOf")
    if not isinstance(all_of, list) or not all_of:
        return False
    members = [m for m in all_of if isinstance(m, dict) and structural(m)]
    if len(members) >= 2:
        return True
    # one object plus ``required`` names (beside the allOf or in a member): not that object
    requires = [node, *(m for m in all_of if isinstance(m, dict) and not structural(m))]
    return (
        len(members) == 1
        and any(isinstance(m.get("required"), list) and m["required"] for m in requires)
        and is_object(members[0])
    )


def structural(member: dict[str, Any]) -> bool:
    """An allOf member that adds structure (not just a description or a constraint)."""
    return "$ref" in member or any(
        k in member for k in ("properties", "allOf", "additionalProperties", "oneOf", "anyOf")
    )


def unliteral(values: list[Any]) -> bool:
    """Whether enum/const values include some a ``Literal`` cannot hold."""
    return any(not (v is None or isinstance(v, (str, bool, int))) for v in values)


def json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "int" if isinstance(value, int) or value.is_integer() else "float"
    if isinstance(value, dict):
        return "object"
    return "array" if isinstance(value, list) else "string"


def literal_values(values: list[Any]) -> tuple[Any, ...]:
    """The values a ``Literal`` can hold, deduplicated by type and value (``True`` is not ``1``)."""
    out: list[Any] = []
    seen: set[tuple[type, Any]] = set()
    for v in values:
        if (v is None or isinstance(v, (str, bool, int))) and (type(v), v) not in seen:
            seen.add((type(v), v))
            out.append(v)
    return tuple(out)


def doc_of(node: Any) -> str:
    if not isinstance(node, dict):  # (a boolean schema)
        return ""
    for key in ("description", "title"):
        value = node.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return ""
