"""Sentinels and small types shared by every generated SDK."""

from __future__ import annotations

import os
from typing import IO, Any, Dict, Literal, Mapping, Optional, Tuple, TypeVar, Union, final

import httpx

__all__ = [
    "NOT_GIVEN",
    "Body",
    "FileContent",
    "FileTypes",
    "Headers",
    "NotGiven",
    "Query",
    "Timeout",
]

_T = TypeVar("_T")


@final
class NotGiven:
    """The value of an argument the caller left out, as distinct from an explicit ``None``.

    ``client.models.update(id, name="x")`` sends no ``description`` at all, while
    ``client.models.update(id, name="x", description=None)`` sends ``"description": null``.
    """

    _instance: Optional["NotGiven"] = None

    def __new__(cls) -> "NotGiven":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()

Headers = Mapping[str, Union[str, NotGiven]]
Query = Mapping[str, object]
Params = Mapping[str, object]  # a call's header or cookie parameters, before serialization
Body = Mapping[str, object]
Timeout = Union[float, httpx.Timeout, None]
FileContent = Union[IO[bytes], bytes, str, "os.PathLike[str]"]  # a path is opened and streamed
FileTypes = Union[
    FileContent, Tuple[Optional[str], FileContent], Tuple[Optional[str], FileContent, Optional[str]]
]


def is_given(value: Union[_T, NotGiven]) -> bool:
    return not isinstance(value, NotGiven)


def strip_not_given(values: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    if not values:
        return {}
    return {k: v for k, v in values.items() if not isinstance(v, NotGiven)}
