"""The base of every generated model, and (de)serialization helpers.

Models keep what a newer server sends: unknown fields are stored (``extra="allow"``) and
serialized back; generated field types accept unknown enum values and unknown union
variants.  Field names are Python names; wire names are aliases, and both are accepted.
"""

from __future__ import annotations

import datetime as _dt
from functools import lru_cache
from typing import Any, Callable, Dict, Mapping, TypeVar, cast

import pydantic

from ._types import NotGiven

__all__ = ["BaseModel", "to_jsonable", "union_tag", "validate_as"]

_T = TypeVar("_T")


class BaseModel(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(
        extra="allow",
        populate_by_name=True,
        protected_namespaces=(),
        defer_build=True,
    )

    def to_dict(self) -> Dict[str, Any]:
        """The model as JSON-ready data, with wire names, leaving out fields never set."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)

    def to_json(self, *, indent: int = 2) -> str:
        return self.model_dump_json(indent=indent, by_alias=True, exclude_unset=True)


@lru_cache(maxsize=None)
def _adapter(tp: Any) -> "pydantic.TypeAdapter[Any]":
    return pydantic.TypeAdapter(tp)


def validate_as(tp: Any, data: object) -> Any:
    """Validate JSON data as a type (a model class, ``List[Model]``, a union…)."""
    if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
        return tp.model_validate(data)
    return _adapter(tp).validate_python(data)


def to_jsonable(value: object) -> Any:
    """Request data → JSON-ready data: models by alias, omitted (NOT_GIVEN) values dropped."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items() if not isinstance(v, NotGiven)}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    return cast(Any, value)


def union_tag(prop: str, tags: Mapping[str, str]) -> Callable[[Any], str]:
    """The discriminator of a tagged union: which variant a value's ``prop`` names, or
    ``""`` (the raw-object variant) for a tag this SDK does not know."""

    def tag(value: Any) -> str:
        if isinstance(value, dict):
            found = value.get(prop)
        elif isinstance(value, pydantic.BaseModel):
            found = _by_wire_name(value, prop)
        else:
            return ""
        return tags.get(found, "") if isinstance(found, str) else ""

    return tag


def _by_wire_name(model: pydantic.BaseModel, wire: str) -> Any:
    for name, info in type(model).model_fields.items():
        if (name if info.alias is None else info.alias) == wire:
            return getattr(model, name)
    return (model.model_extra or {}).get(wire)
