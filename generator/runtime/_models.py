"""The base of every generated model, and the discriminator of tagged unions.

Models keep what a newer server sends: unknown fields are stored (``extra="allow"``) and
serialized back; generated field types accept unknown enum values and unknown union
variants.  Field names are Python names; wire names are aliases, and both are accepted.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, ClassVar, Dict, List, Mapping, Optional, Tuple

import pydantic

from ._constraints import Constraints, is_response

__all__ = ["BaseModel", "CheckedModel", "union_tag"]


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


class CheckedModel(BaseModel):
    """A model whose schema limits its properties as a whole: ``__closed__`` (no property
    besides its fields: ``additionalProperties: false``) and ``__constraints__``
    (``minProperties``/``maxProperties``).  Checked where value constraints are (see
    ``_constraints``): on what the caller builds, not on responses, which keep what a newer
    server sends."""

    __closed__: ClassVar[bool] = False
    __constraints__: ClassVar[Optional[Constraints]] = None
    # ``oneOf``/``anyOf`` of ``required`` lists: the wire names each variant requires; exactly
    # one variant must hold when ``__exclusive__`` (oneOf), else at least one (anyOf)
    __variants__: ClassVar[Optional[List[List[str]]]] = None
    __exclusive__: ClassVar[bool] = False

    @pydantic.model_validator(mode="after")
    def _check_properties(self, info: pydantic.ValidationInfo) -> "CheckedModel":
        if is_response(info.context):
            return self
        if self.__closed__ and self.model_extra:
            unknown = ", ".join(repr(k) for k in self.model_extra)
            raise ValueError(f"{type(self).__name__} has no property {unknown}")
        problem = (
            None
            if self.__constraints__ is None
            else self.__constraints__.violation(dict.fromkeys(self.model_fields_set))
        )
        if problem is not None:
            raise ValueError(f"{type(self).__name__} {problem}")
        if self.__variants__ is not None:
            self._check_variants(self.__variants__)
        return self

    def _check_variants(self, variants: List[List[str]]) -> None:
        fields = type(self).model_fields
        present = {(fields[n].alias or n) if n in fields else n for n in self.model_fields_set}
        held = [v for v in variants if all(wire in present for wire in v)]
        if not held or (self.__exclusive__ and len(held) > 1):
            want = "exactly one" if self.__exclusive__ else "at least one"
            choices = " or ".join("+".join(v) or "(nothing)" for v in variants)
            raise ValueError(f"{type(self).__name__} needs {want} of {choices}; it has {len(held)}")


def union_tag(prop: str, tags: Mapping[str, str]) -> Callable[[Any], str]:
    """The discriminator of a tagged union: which variant a value's ``prop`` names, or
    ``""`` (the raw-object variant) for a tag this SDK does not know."""
    return _union_tag(prop, tuple(tags.items()))


@lru_cache(maxsize=None)
def _union_tag(prop: str, items: Tuple[Tuple[str, str], ...]) -> Callable[[Any], str]:
    """One function per property and tags: a union written out again (a method's return type
    is evaluated at each call) is then the same type to typing's caches and to the runtime's
    validator cache, instead of a new TypeAdapter per call."""
    tags = dict(items)

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
