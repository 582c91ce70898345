"""Query-string serialization for OpenAPI ``style``/``explode`` combinations."""

from __future__ import annotations

import datetime as _dt
from typing import Any, List, Mapping, Tuple

from ._serde import to_jsonable
from ._types import NotGiven

__all__ = ["encode_query"]

Pairs = List[Tuple[str, str]]


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    return str(value)


def encode_query(values: Mapping[str, object], styles: Mapping[str, Tuple[str, bool]]) -> Pairs:
    """``values``: wire name → value (``NOT_GIVEN`` and ``None`` are left out);
    ``styles``: wire name → (style, explode) for parameters that are not plain form/explode.
    """
    pairs: Pairs = []
    for name, value in values.items():
        if isinstance(value, NotGiven) or value is None:
            continue
        style, explode = styles.get(name, ("form", True))
        _encode(pairs, name, to_jsonable(value), style, explode)
    return pairs


def _encode(pairs: Pairs, name: str, value: Any, style: str, explode: bool) -> None:
    if isinstance(value, dict):
        if style == "deepObject":
            for key, sub in value.items():
                _deep(pairs, f"{name}[{key}]", sub)
        elif explode:
            pairs.extend((str(k), _scalar(v)) for k, v in value.items())
        else:
            pairs.append((name, ",".join(f"{k},{_scalar(v)}" for k, v in value.items())))
    elif isinstance(value, list):
        if explode and style == "form":
            pairs.extend((name, _scalar(v)) for v in value)
        else:
            sep = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
            pairs.append((name, sep.join(_scalar(v) for v in value)))
    else:
        pairs.append((name, _scalar(value)))


def _deep(pairs: Pairs, prefix: str, value: Any) -> None:
    if isinstance(value, dict):
        for key, sub in value.items():
            _deep(pairs, f"{prefix}[{key}]", sub)
    elif isinstance(value, list):
        pairs.extend((prefix, _scalar(v)) for v in value)
    else:
        pairs.append((prefix, _scalar(value)))
