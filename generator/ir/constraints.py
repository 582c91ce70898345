"""Value constraints of a Schema Object (``minLength``, ``maximum``, ``pattern``...), read into
the keyword arguments of the runtime's ``Constraints`` (``runtime/_constraints.py``).

OpenAPI 3.0's boolean ``exclusiveMinimum``/``exclusiveMaximum`` (a modifier of ``minimum``/
``maximum``) become 3.1's numbers.  A keyword whose value the SDK cannot check (a pattern
Python's ``re`` does not read, a negative length) is reported once with a warning at it.
"""

from __future__ import annotations

import json
import re
import warnings
from typing import Any, Callable

from ..diagnostics import Diagnostics
from ..loader import Location
from ..runtime._constraints import _KEYWORDS, Constraints
from .nodes import Decl, Enum, Model
from .schema_kinds import is_object_model, type_list
from .types import (
    ANY,
    Constrained,
    ListOf,
    LiteralOf,
    LiteralValue,
    Named,
    Nullable,
    TupleOf,
    TypeRef,
    UnionOf,
    constrained,
)

# JSON Schema keyword -> the runtime's keyword argument (one table: the runtime's own)
KEYWORD_ARGS = {wire: name for name, wire in _KEYWORDS.items() if name != "enum"}  # (enum: ``enum_check``)
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


def enum_check(values: list[Any]) -> Checks:
    """The check of enum or const values a ``Literal`` cannot hold: each value as JSON text (the
    IR stays hashable), printed back as a literal (``types.print_checks``)."""
    return (("enum", tuple(json.dumps(v, sort_keys=True) for v in values)),)


def tuple_type(
    node: dict[str, Any], loc: Location, hint: str, type_of: Callable[[Any, Location, str], TypeRef]
) -> TypeRef:
    """``prefixItems``: a ``Tuple`` when the array has exactly that many items, else a list
    whose items are any of the item types, each position checked (``prefix_items``, ``items``)."""
    prefix = tuple(
        type_of(m, loc.child("prefixItems", i), f"{hint}Item{i + 1}") for i, m in enumerate(node["prefixItems"])
    )
    rest, low, high = node.get("items"), node.get("minItems"), node.get("maxItems")
    closed = rest is False or (isinstance(high, int) and high <= len(prefix))
    if closed and isinstance(low, int) and low >= len(prefix):
        return TupleOf(prefix)
    extra = None if rest in (None, True, False) else type_of(rest, loc.child("items"), hint + "Item")
    members = tuple(dict.fromkeys([*prefix, extra if extra is not None else ANY] if not closed else prefix))
    item = ANY if ANY in members or not members else members[0] if len(members) == 1 else UnionOf(members)
    checks: list[tuple[str, Any]] = [("prefix_items", prefix)] + ([("items", extra)] if extra is not None else [])
    return constrained(ListOf(item), tuple(checks + ([("max_items", len(prefix))] if closed else [])))


def with_constraints(
    t: TypeRef, node: dict[str, Any], loc: Location, decls: dict[str, Decl], diagnostics: Diagnostics
) -> TypeRef:
    """``t`` with the value constraints ``node`` declares.  An enum's or a const's values are
    the authority (values the constraints exclude are reported), and so is a tuple's length;
    an object model's ``minProperties``/``maxProperties`` are reported."""
    checks = read_constraints(node, loc, diagnostics)
    if isinstance(t, TupleOf):  # its length is fixed already
        checks = tuple((k, v) for k, v in checks if k not in ("min_items", "max_items"))
    if not checks:
        return t
    core = t.inner if isinstance(t, Nullable) else t
    if isinstance(core, LiteralOf):
        _broken_values(core.values, checks, loc, diagnostics)
        return t
    decl = decls.get(core.key) if isinstance(core, Named) else None
    if isinstance(decl, (Model, Enum)):
        if decl.location != str(loc):  # (its own keywords were read with it)
            declared_constraints(decl, node, loc, diagnostics)
        return t
    if isinstance(core, Constrained):  # several sources (a $ref's, an allOf member's): the later win
        return constrained(core.inner, tuple({**dict(core.checks), **dict(checks)}.items()))
    return constrained(t, checks)


def declared_constraints(decl: Enum | Model, node: dict[str, Any], loc: Location, diagnostics: Diagnostics) -> None:
    """Constraints beside a reference to an enum (values they exclude are reported: the SDK
    accepts them) or to an object model (``minProperties``/``maxProperties``: reported, the
    model checks its own)."""
    if isinstance(decl, Enum):
        _broken_values(decl.values, read_constraints(node, loc, Diagnostics()), loc, diagnostics)
        return
    for keyword in ("minProperties", "maxProperties"):
        if keyword in node:
            diagnostics.warning(
                f"'{keyword}' beside a reference to an object model is not checked by the SDK: it accepts"
                " the object with any number of properties",
                loc.file,
                loc.pointer + "/" + keyword,
            )


_REQUIRED_ONLY = frozenset({"required", "description", "title", "type"})


def required_variants(node: dict[str, Any], keyword: str) -> tuple[tuple[str, ...], ...] | None:
    """The ``required`` lists of a ``oneOf``/``anyOf`` whose variants say nothing else (the
    mutually exclusive fields idiom), or None: then they are merged loosely, with a warning."""
    out = []
    for variant in node.get(keyword) or ():
        if not isinstance(variant, dict) or not variant.keys() <= _REQUIRED_ONLY:
            return None
        required = variant.get("required", [])
        if variant.get("type", "object") != "object" or not isinstance(required, list):
            return None
        if not all(isinstance(r, str) for r in required):
            return None
        out.append(tuple(required))
    return tuple(out) or None


def loose_variants(
    loose: list[tuple[Location, dict[str, Any]]], checks: bool, diagnostics: Diagnostics
) -> tuple[tuple[tuple[str, ...], ...] | None, bool]:
    """The ``oneOf``/``anyOf`` schemas merged into an object's properties (each with where it
    is): when there is one, of ``required`` lists only, those lists, checked exactly (and
    whether exactly one must hold); any other is a warning, as nothing checks it."""
    for at, node in loose:
        keyword = "oneOf" if isinstance(node.get("oneOf"), list) else "anyOf"
        if len(loose) == 1 and checks:
            variants = required_variants(node, keyword)
            if variants is not None:
                return variants, keyword == "oneOf"
        diagnostics.warning(
            f"{keyword} merged into the object's properties: the SDK accepts the properties of every"
            " variant (optional unless all require them), without checking the object matches a variant",
            at.file,
            at.pointer + "/" + keyword,
        )
    return None, False


def closing(node: dict[str, Any]) -> set[str]:
    """``unevaluatedProperties: false`` on an object with properties: a closed model (every
    property its allOf members declare is one of its fields), not an unchecked keyword."""
    closes = node.get("unevaluatedProperties") is False and is_object_model(node)
    return {"unevaluatedProperties"} if closes else set()


def object_constraints(node: dict[str, Any], loc: Location, diagnostics: Diagnostics) -> tuple[bool, Checks]:
    """Whether an object model is closed (``additionalProperties: false`` or, over its merged
    allOf, ``unevaluatedProperties: false``), and its ``minProperties``/``maxProperties``."""
    closed = node.get("additionalProperties") is False or bool(closing(node))
    counts = {k: v for k, v in node.items() if k in ("minProperties", "maxProperties")}
    return closed, read_constraints(counts, loc, diagnostics) if counts else ()


def _broken_values(values: tuple[LiteralValue, ...], checks: Checks, loc: Location, diagnostics: Diagnostics) -> None:
    constraints = Constraints(**dict(checks))
    broken = [v for v in values if constraints.violation(v) is not None]
    if broken:
        diagnostics.warning(
            f"enum values {broken!r} break the schema's constraints: the SDK accepts them",
            loc.file,
            loc.pointer,
        )


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
        with warnings.catch_warnings():  # "possible nested set": read as today's Python reads it
            warnings.simplefilter("ignore", FutureWarning)
            re.compile(value)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"Python cannot read the pattern ({exc}); any string is accepted"
    return ""
