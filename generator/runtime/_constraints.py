"""The value constraints of JSON Schema (``minLength``, ``maximum``, ``pattern``, ``uniqueItems``...)
as pydantic metadata: ``Annotated[str, Constraints(max_length=64)]``.

A value built on this side is checked as JSON Schema says: a model constructed or validated by
the caller, an argument of a method (before anything is sent, ``InvalidArgumentError``).  A
response is read without them (``RESPONSE_CONTEXT``): a server that sends a longer string than
its spec allows must not make its answer unreadable.  Each keyword applies to the values of
its JSON type only (``min_length`` to strings, ``maximum`` to numbers but not booleans,
``min_items`` to arrays, ``min_properties`` to objects), so one annotation fits a union.
"""

from __future__ import annotations

import re
import warnings
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Tuple, Union

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic_core import CoreSchema

__all__ = ["Constraints", "RESPONSE_CONTEXT", "check_arguments", "is_response"]

# The validation context the client reads responses with: constraints are not checked.
RESPONSE_CONTEXT: Mapping[str, bool] = {"sdkgen_response": True}

Number = Union[int, float]
# keyword (Python name) -> JSON Schema keyword, in the order they are checked and printed
_KEYWORDS = {
    "min_length": "minLength",
    "max_length": "maxLength",
    "pattern": "pattern",
    "minimum": "minimum",
    "maximum": "maximum",
    "exclusive_minimum": "exclusiveMinimum",
    "exclusive_maximum": "exclusiveMaximum",
    "multiple_of": "multipleOf",
    "min_items": "minItems",
    "max_items": "maxItems",
    "unique_items": "uniqueItems",
    "min_properties": "minProperties",
    "max_properties": "maxProperties",
    "enum": "enum",  # values a Literal cannot hold (numbers with a fraction, objects, arrays)
    "prefix_items": "prefixItems",  # the type of each leading item of an array...
    "items": "items",  # ...and of the items after them (with prefix_items only)
}


def is_response(context: object) -> bool:
    """Whether a validation context is the client's reading of a response."""
    return isinstance(context, Mapping) and bool(context.get("sdkgen_response"))


class Constraints:
    """The JSON Schema constraints of one value (see the module's docstring)."""

    __slots__ = tuple(_KEYWORDS)

    def __init__(
        self,
        *,
        min_length: Optional[int] = None,
        max_length: Optional[int] = None,
        pattern: Optional[str] = None,
        minimum: Optional[Number] = None,
        maximum: Optional[Number] = None,
        exclusive_minimum: Optional[Number] = None,
        exclusive_maximum: Optional[Number] = None,
        multiple_of: Optional[Number] = None,
        min_items: Optional[int] = None,
        max_items: Optional[int] = None,
        unique_items: Optional[bool] = None,
        min_properties: Optional[int] = None,
        max_properties: Optional[int] = None,
        enum: Optional[List[Any]] = None,
        prefix_items: Optional[List[Any]] = None,
        items: Any = None,
    ) -> None:
        self.min_length = min_length
        self.max_length = max_length
        self.pattern = pattern
        self.minimum = minimum
        self.maximum = maximum
        self.exclusive_minimum = exclusive_minimum
        self.exclusive_maximum = exclusive_maximum
        self.multiple_of = multiple_of
        self.min_items = min_items
        self.max_items = max_items
        self.unique_items = unique_items
        self.min_properties = min_properties
        self.max_properties = max_properties
        self.enum = enum
        self.prefix_items = prefix_items
        self.items = items

    def keywords(self) -> List[Tuple[str, Any]]:
        """The keywords set, by Python name."""
        return [(k, getattr(self, k)) for k in _KEYWORDS if getattr(self, k) is not None]

    def __repr__(self) -> str:
        return f"Constraints({', '.join(f'{k}={v!r}' for k, v in self.keywords())})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Constraints) and self.keywords() == other.keywords()

    def __hash__(self) -> int:
        return hash(repr(self))  # (``enum`` holds lists)

    def violation(self, value: Any) -> Optional[str]:
        """Why ``value`` breaks a constraint, or None."""
        if self.enum is not None and not any(_same(value, v) for v in self.enum):
            return f"is not one of {self.enum!r}"
        if isinstance(value, str):
            return _string(self, value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return _number(self, value)
        if isinstance(value, (list, tuple)):
            return _array(self, value)
        if isinstance(value, dict):
            return _sized(len(value), self.min_properties, self.max_properties, "properties")
        return None

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic_core import PydanticCustomError, core_schema

        def check(value: Any, info: Any) -> Any:
            if is_response(info.context):
                return value
            problem = self.violation(value)
            if problem is not None:
                raise PydanticCustomError("constraint", "{problem}", {"problem": problem})
            return value

        return core_schema.with_info_after_validator_function(check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> Dict[str, Any]:
        out = handler(schema)
        target = handler.resolve_ref_schema(out)
        # (positional item types are in the schema pydantic writes for the list already)
        target.update(
            {_KEYWORDS[k]: v for k, v in self.keywords() if k not in ("prefix_items", "items")}
        )
        return out


def _string(c: Constraints, value: str) -> Optional[str]:
    problem = _sized(len(value), c.min_length, c.max_length, "characters")
    if problem is None and c.pattern is not None and _regex(c.pattern).search(value) is None:
        problem = f"does not match the pattern {c.pattern!r}"
    return problem


def _number(c: Constraints, value: Number) -> Optional[str]:
    if c.minimum is not None and value < c.minimum:
        return f"is less than the minimum {c.minimum}"
    if c.maximum is not None and value > c.maximum:
        return f"is greater than the maximum {c.maximum}"
    if c.exclusive_minimum is not None and value <= c.exclusive_minimum:
        return f"is not greater than {c.exclusive_minimum}"
    if c.exclusive_maximum is not None and value >= c.exclusive_maximum:
        return f"is not less than {c.exclusive_maximum}"
    if c.multiple_of is not None and not _is_multiple(value, c.multiple_of):
        return f"is not a multiple of {c.multiple_of}"
    return None


def _array(c: Constraints, value: Union[List[Any], Tuple[Any, ...]]) -> Optional[str]:
    problem = _sized(len(value), c.min_items, c.max_items, "items")
    if problem is None and c.unique_items and not _unique(value):
        problem = "has repeated items"
    if problem is None and c.prefix_items is not None:
        problem = _positions(c.prefix_items, c.items, value)
    return problem


def _positions(
    prefix: List[Any], rest: Any, value: Union[List[Any], Tuple[Any, ...]]
) -> Optional[str]:
    """Each leading item against its own type, each later one against ``rest`` (a type named
    by a string, a forward reference, is not checked)."""
    from ._serde import validator_of

    for i, item in enumerate(value):
        tp = prefix[i] if i < len(prefix) else rest
        if tp is None or isinstance(tp, str):
            continue
        try:
            validator_of(tp)(item)
        except ValueError:
            return f"has an item at position {i} that is not a {getattr(tp, '__name__', tp)}"
    return None


def _sized(size: int, low: Optional[int], high: Optional[int], what: str) -> Optional[str]:
    if low is not None and size < low:
        return f"has {size} {what}, fewer than {low}"
    if high is not None and size > high:
        return f"has {size} {what}, more than {high}"
    return None


def _is_multiple(value: Number, step: Number) -> bool:
    """As JSON Schema validators compute it: a float step through the quotient, exactly (with
    fractions) when the quotient overflows."""
    if isinstance(step, float):
        try:
            quotient = value / step
            return int(quotient) == quotient
        except (OverflowError, ValueError):
            from fractions import Fraction  # (rare: loaded only here)

            return Fraction(value) % Fraction(step) == 0
    return value % step == 0


def _same(a: Any, b: Any) -> bool:
    """JSON equality: ``true`` is not ``1``, ``1`` is ``1.0``, containers compare item by item."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(a[i], b[i]) for i in range(len(a)))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


def _unique(values: Union[List[Any], Tuple[Any, ...]]) -> bool:
    if all(type(v) is str for v in values):
        return len(set(values)) == len(values)
    return not any(_same(values[i], values[j]) for i in range(len(values)) for j in range(i))


@lru_cache(maxsize=256)
def _regex(pattern: str) -> "re.Pattern[str]":
    with warnings.catch_warnings():  # the spec's pattern, read as this Python reads it
        warnings.simplefilter("ignore", FutureWarning)
        return re.compile(pattern)


def check_arguments(
    checks: Mapping[Tuple[str, Optional[str], str], Any], values: Mapping[str, object]
) -> None:
    """Check a call's arguments against their constraints before anything is sent.

    ``checks`` gives the type (with its ``Constraints``) of each argument that has some, by
    (where, wire name, Python argument): where is ``path``, ``query``, ``header``, ``cookie``
    or ``body`` (a property of the body; wire name ``None`` for the whole body, as a property
    may be named ``""``).  ``values``: the call's mappings (or whole body) by where."""
    # (type modules import this module: neither httpx nor the client's modules for them)
    from ._exceptions import InvalidArgumentError
    from ._serde import validator_of
    from ._types import NotGiven

    for (where, name, argument), tp in checks.items():
        group = values.get(where)
        if name is None:
            value: object = group
        elif isinstance(group, Mapping):
            value = group.get(name)
        else:
            continue
        if value is None or isinstance(value, NotGiven):
            continue
        try:
            validator_of(tp)(value)
        except ValueError as exc:
            raise InvalidArgumentError(argument, exc) from exc
