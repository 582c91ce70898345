"""Request data to JSON, JSON to typed values.

pydantic is imported by the first call that needs it, not by ``import``: building a client
and its resources loads neither pydantic nor any model, and a call loads only the models of
its own operation.
"""

from __future__ import annotations

import datetime as _dt
import json
import sys
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Tuple, Union

from ._constraints import RESPONSE_CONTEXT
from ._types import NotGiven

if TYPE_CHECKING:
    import pydantic
    from typing_extensions import TypeGuard

__all__ = [
    "describe_validation_error",
    "is_json_syntax_error",
    "is_validation_error",
    "to_jsonable",
    "validate_as",
    "validate_json_as",
    "validator_of",
]

# Exact types that are already JSON-ready; checked first, as most values are one of them.
_PLAIN = frozenset({str, int, float, bool, type(None)})


@lru_cache(maxsize=None)
def _validator(tp: Any) -> Tuple[Callable[..., Any], Callable[..., Any]]:
    """How to validate data as ``tp`` (Python objects, JSON text), built once per type (a
    TypeAdapter is costly)."""
    import pydantic

    if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
        return tp.model_validate, tp.model_validate_json
    adapter = pydantic.TypeAdapter(tp)
    return adapter.validate_python, adapter.validate_json


def validator_of(tp: Any) -> Callable[[Any], Any]:
    """How to validate the caller's Python objects as ``tp``, every constraint checked."""
    return _validator(tp)[0]


def validate_as(tp: Any, data: object) -> Any:
    """Validate JSON data already parsed (dicts, lists, strings...) of a response as a type (a
    model class, ``List[Model]``, a union...), with the semantics of JSON input (see
    ``validate_json_as``); value constraints are not checked (see ``_constraints``)."""
    if type(data) in _PLAIN:
        return _validator(tp)[0](data, context=RESPONSE_CONTEXT)
    return _validator(tp)[1](json.dumps(data), context=RESPONSE_CONTEXT)


def validate_json_as(tp: Any, text: Union[str, bytes]) -> Any:
    """Validate JSON text as a type.

    JSON input, not Python objects: a date-time is a string in JSON, and pydantic accepts it
    as a ``datetime`` even in its strict first pass over a union.  Validated from Python
    objects, the same string makes every variant with a date-time field fail that pass while
    the raw-object fallback (``Dict[str, Any]``) passes it, and the raw dict would win.
    A response: value constraints are not checked (see ``_constraints``)."""
    return _validator(tp)[1](text, context=RESPONSE_CONTEXT)


def is_json_syntax_error(exc: "pydantic.ValidationError") -> bool:
    """The text given to ``validate_json_as`` was not JSON at all."""
    return any(error.get("type") == "json_invalid" for error in exc.errors()[:1])


def to_jsonable(value: object) -> Any:
    """Request data → JSON-ready data: models by alias, omitted (NOT_GIVEN) values dropped."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict or kind is list:  # exactly: neither can be a model; the common containers
        return _container(value)
    # A pydantic model exists only once pydantic.main is loaded: no import needed to tell.
    main = sys.modules.get("pydantic.main")
    if main is not None and isinstance(value, main.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, (dict, list, tuple)):
        return _container(value)
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    return value


def _container(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k if type(k) is str else str(k): v if type(v) in _PLAIN else to_jsonable(v)
            for k, v in value.items()
            if not isinstance(v, NotGiven)
        }
    return [v if type(v) in _PLAIN else to_jsonable(v) for v in value]


def is_validation_error(exc: ValueError) -> "TypeGuard[pydantic.ValidationError]":
    """A pydantic ValidationError (a ValueError) can only exist once pydantic_core is loaded."""
    core = sys.modules.get("pydantic_core")
    return core is not None and isinstance(exc, core.ValidationError)


def describe_validation_error(exc: "pydantic.ValidationError") -> str:
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error.get("loc", ())) or "<root>"
        parts.append(f"{where}: {error.get('msg')}")
    more = f" (+{exc.error_count() - 5} more)" if exc.error_count() > 5 else ""
    return "response does not match the schema: " + "; ".join(parts) + more
