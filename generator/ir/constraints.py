"""Value constraints of a Schema Object (``minLength``, ``maximum``, ``pattern``...), read into
the keyword arguments of the runtime's ``Constraints`` (``runtime/_constraints.py``).

OpenAPI 3.0's boolean ``exclusiveMinimum``/``exclusiveMaximum`` (a modifier of ``minimum``/
``maximum``) become 3.1's numbers.  A keyword whose value the SDK cannot check (a pattern
Python's ``re`` does not read, a negative length) is reported once with a warning at it.
"""

from __future__ import annotations

import re
from typing import Any

from ..diagnostics import Diagnostics
from ..loader import Location
from ..runtime._constraints import _KEYWORDS
from .schema_kinds import type_list

# JSON Schema keyword -> the runtime's keyword argument (one table: the runtime's own)
KEYWORD_ARGS = {wire: name for name, wire in _KEYWORDS.items()}
# which JSON types each keyword applies to (a keyword beside other types only is dropped)
_APPLIES = {
    "string": ("minLength", "maxLength", "pattern"),
    "number": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
    "integer": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
    "array": ("minItems", "maxItems", "uniqueItems"),
    "object": ("minProperties", "maxProperties"),
}
_COUNTS = {"minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"}

Checks = tuple[tuple[str, Any], ...]


def read_constraints(node: dict[str, Any], loc: Location, diagnostics: Diagnostics) -> Checks:
    """The constraints of ``node`` as (keyword argument, value) pairs, in the runtime's order."""
    if not KEYWORD_ARGS.keys() & node.keys():
        return ()
    types = [t for t in type_list(node.get("type")) if isinstance(t, str) and t != "null"]
    allowed = {k for t in types for k in _APPLIES.get(t, ())} if types else set(KEYWORD_ARGS)
    found: dict[str, Any] = {}
    for wire in KEYWORD_ARGS:
        if wire not in node or wire not in allowed:
            continue
        value = _value(node, wire, loc, diagnostics)
        if value is not None:
            found[KEYWORD_ARGS[wire]] = value
    return tuple((name, found[name]) for name in _KEYWORDS if name in found)


def _value(node: dict[str, Any], wire: str, loc: Location, diagnostics: Diagnostics) -> Any:
    value = node[wire]
    problem = ""
    if wire in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(value, bool):
        bound = node.get("minimum" if wire == "exclusiveMinimum" else "maximum")
        return bound if value and _is_number(bound) else None  # 3.0: the bound itself is excluded
    if wire in ("minimum", "maximum") and node.get("exclusive" + wire[:1].upper() + wire[1:]) is True:
        return None  # 3.0: see above
    if wire == "uniqueItems":
        return True if value is True else None
    if wire == "pattern":
        problem = _pattern_problem(value)
    elif wire in _COUNTS:
        problem = "" if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else "a count"
    elif not _is_number(value) or (wire == "multipleOf" and value <= 0):
        problem = "a positive number" if wire == "multipleOf" else "a number"
    if problem:
        diagnostics.warning(
            f"'{wire}' is not checked by the SDK: {problem}"
            if wire == "pattern"
            else f"'{wire}' must be {problem}, not {value!r}; the SDK does not check it",
            loc.file,
            loc.pointer + "/" + wire,
        )
        return None
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


def _pattern_problem(value: Any) -> str:
    if not isinstance(value, str):
        return f"a pattern must be a string, not {type(value).__name__}"
    try:
        re.compile(value)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"Python cannot read the pattern ({exc}); any string is accepted"
    return ""
