"""The contract server's strict mode: requests checked the way a strict third-party mock
server (Stoplight Prism, say) checks them, on top of openapi-core's request validation.

- ``Accept``: a request whose ``Accept`` matches none of the media types of the operation's
  success response is refused (406), as a negotiating server does;
- booleans are ``true`` or ``false`` only (openapi-core also takes ``True``, ``yes``, ``1``...);
- a query parameter that is not an exploded array or object is sent once;
- the request is unmarshalled by openapi-core with its own parameter deserializers (every
  style, explode and location) and media-type deserializers (JSON, form, multipart), and the
  values are kept on ``Seen.unmarshalled`` for tests to compare with what the SDK was given.

Two adapters let openapi-core read what the specification defines, in every mode: it looks up
``label`` and ``matrix`` path parameters under RFC 6570 names (``.name``, ``;name*``) that an
OpenAPI path template (``{name}``) never produces, and it splits ``spaceDelimited`` values on
the still-encoded ``%20``; and it does not percent-decode path variables.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from jsonschema_path import SchemaPath
from openapi_core.casting.schemas import (
    oas30_types_caster,
    oas31_types_caster,
)
from openapi_core.casting.schemas.casters import BooleanCaster, TypesCaster
from openapi_core.casting.schemas.factories import SchemaCastersFactory
from openapi_core.validation.schemas import oas30_write_schema_validators_factory, oas31_schema_validators_factory

__all__ = ["accept_problems", "adapt_parameters", "repeated_query_problems", "strict_casters"]


class StrictBooleanCaster(BooleanCaster):
    def validate(self, value: Any) -> None:
        if not isinstance(value, bool) and value not in ("true", "false"):
            raise ValueError(f"{value!r} is not 'true' or 'false'")

    def cast(self, value: Any) -> bool:
        return value if isinstance(value, bool) else value == "true"


def strict_casters(minor: str) -> SchemaCastersFactory:
    base = oas30_types_caster if minor == "0" else oas31_types_caster
    casters = {**base.casters, "boolean": StrictBooleanCaster}
    types = TypesCaster(casters, base.default, multi=base.multi)
    validators = oas30_write_schema_validators_factory if minor == "0" else oas31_schema_validators_factory
    return SchemaCastersFactory(validators, types)


def _params(path_item: SchemaPath, operation: SchemaPath) -> list[SchemaPath]:
    merged: dict[tuple[str, str], SchemaPath] = {}
    for node in (path_item, operation):
        if "parameters" in node:
            for p in node / "parameters":
                merged[(str(p.get("name")), str(p.get("in")))] = p
    return list(merged.values())


def _explode(p: SchemaPath, style: str) -> bool:
    explode = p.get("explode")
    return explode if isinstance(explode, bool) else style == "form"


def adapt_parameters(request: Any, path_item: SchemaPath, operation: SchemaPath, variables: dict[str, str]) -> None:
    """Path variables under the names openapi-core reads label and matrix parameters by, and
    ``spaceDelimited`` values as it splits them."""
    # openapi-core reads path variables as they are in the URL; a server decodes them (a value
    # holding an encoded delimiter would be split here: the values sent by tests do not)
    path = {k: unquote(v) for k, v in variables.items()}
    spaced = set()
    for p in _params(path_item, operation):
        name, location, style = str(p.get("name")), p.get("in"), p.get("style")
        if location == "path" and style in ("label", "matrix") and name in path:
            prefix = "." if style == "label" else ";"
            path[prefix + name + ("*" if _explode(p, style) else "")] = path.pop(name)
        elif location == "query" and style == "spaceDelimited":
            spaced.add(name)
    request.parameters.path = path
    if spaced:
        from werkzeug.datastructures import ImmutableMultiDict

        pairs = [(k, v.replace(" ", "%20") if k in spaced else v) for k, v in request.query_pairs]
        request.parameters.query = ImmutableMultiDict(pairs)


def repeated_query_problems(request: Any, path_item: SchemaPath, operation: SchemaPath) -> list[str]:
    """A query parameter sent more than once that is not an exploded array or object."""
    counts: dict[str, int] = {}
    for key, _ in request.query_pairs:
        counts[key] = counts.get(key, 0) + 1
    problems = []
    for p in _params(path_item, operation):
        name = str(p.get("name"))
        if p.get("in") != "query" or counts.get(name, 0) < 2:
            continue
        style = str(p.get("style") or "form")
        kind = (p / "schema").get("type") if "schema" in p else None
        if not (style == "form" and _explode(p, style) and kind in ("array", "object", None)):
            problems.append(f"request: query parameter {name!r} sent {counts[name]} times")
    return problems


def _ranges(accept: str) -> list[str]:
    out = []
    for item in accept.split(","):
        media, *params = (x.strip() for x in item.split(";"))
        q = next((x.split("=", 1)[1] for x in params if x.replace(" ", "").startswith("q=")), "1")
        if media and float(q or 0) > 0:
            out.append(media.lower())
    return out


def _matches(media_range: str, media_type: str) -> bool:
    want_type, _, want_sub = media_range.partition("/")
    have_type, _, have_sub = media_type.split(";", 1)[0].strip().lower().partition("/")
    return want_type in ("*", have_type) and want_sub in ("*", have_sub)


def accept_problems(accept: str | None, response: SchemaPath | None) -> list[str]:
    """406 when ``Accept`` matches none of the success response's media types."""
    if accept is None or response is None or "content" not in response:
        return []
    declared = (response / "content").str_keys()
    ranges = _ranges(accept)
    if not declared or any(_matches(r, d) for r in ranges for d in declared):
        return []
    return [f"request: Accept {accept!r} matches none of {', '.join(declared)} (a strict server answers 406)"]
