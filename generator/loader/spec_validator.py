"""openapi-spec-validator, bounded: the validator classes ``validate`` runs.

Subclasses of the library's own, which

* resolve ``$ref``s only to files the workspace already read (every other scheme refused);
* check the document against the OpenAPI schema with jsonschema-rs first, when it is
  installed, and with the library's own (pure Python) jsonschema validator only when that
  check fails: the findings, and their wording, are always jsonschema's, and a valid
  document (the usual case) costs milliseconds instead of seconds;
* run the second pass (operation ids, path parameters, each schema against its dialect) only
  when the first (the document against the OpenAPI schema) found nothing: that pass assumes a
  well-formed document and crashes on others;
* walk schemas at most ``MAX_SCHEMA_LEVELS`` deep (a schema met deeper is left to the
  components pass), with set lookups for the schemas already visited, and collect the
  properties of ``allOf`` members visiting each schema once (the library's own collection is
  exponential in nested ``allOf``s and never ends on a cycle);
* mark each finding with the place it is about (``sdkgen_at``): the library reports paths
  relative to the schema or value it checked, and often none at all;
* read OpenAPI 3.2 as 3.1 plus what 3.2 adds: the document is checked against the official
  3.2 schema (vendored: ``schemas/README.md`` says why), then by the 3.1 checks, which also
  walk the ``query`` and ``additionalOperations`` operations and take the 3.2 schema dialect
  for the 3.1 one (3.2 adds no schema keyword that changes what a value may be).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .documents import MAX_DEPTH
from .refs import RefError, Workspace

MAX_SCHEMA_LEVELS = MAX_DEPTH + 100  # schemas nest at most MAX_DEPTH levels inline
OAS32_SCHEMA = Path(__file__).resolve().parent / "schemas" / "openapi-3.2.json"
_OAS32_DIALECTS = "https://spec.openapis.org/oas/3.2/dialect/"


class Refused(Exception):
    pass


class _WorkspaceHandler:
    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.root = ws.root_dir.resolve()

    def __call__(self, uri: str) -> Any:
        parts = urlsplit(uri)
        if parts.scheme in ("http", "https"):  # a file the root document's $self names
            try:
                name = self.ws.file_by_self(uri)
            except RefError:
                name = None
            if name is None or name not in self.ws.documents:
                raise Refused(uri)
            return self.ws.documents[name]
        if parts.scheme != "file":
            raise Refused(uri)
        rel = self.ws.key_of(Path(unquote(parts.path)))
        if rel is None or rel not in self.ws.documents:
            raise Refused(uri)
        return self.ws.documents[rel]


def _refuse(uri: str) -> Any:
    raise Refused(uri)


def validator_class(ws: Workspace, minor: int) -> type[Any]:
    """The bounded validator class for one workspace and OpenAPI minor version (3.0 or 3.1)."""
    # Imported here: the validator costs a second to import, and ``sdkgen diff`` never needs it.
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
    from openapi_spec_validator.validation import keywords

    handlers = dict.fromkeys(("ftp", "data", "", "<all_urls>"), _refuse)
    handlers["file"] = handlers["http"] = handlers["https"] = _WorkspaceHandler(ws)
    base_cls: type[Any] = OpenAPIV31SpecValidator if minor >= 1 else OpenAPIV30SpecValidator
    schema_base: type[Any] = keywords.OpenAPIV31SchemaValidator if minor >= 1 else keywords.OpenAPIV30SchemaValidator

    class _SchemaValidator(schema_base):  # type: ignore[misc]
        """Walks schemas at most ``MAX_SCHEMA_LEVELS`` deep: a schema met deeper is left for
        later (a component is checked on its own by the components pass)."""

        def __init__(self, registry: Any) -> None:
            super().__init__(registry)
            self.level = 0
            self.deferred: list[tuple[Any, ...]] = []
            self.visited_schema_ids = _IdList()
            self.meta_checked_schema_ids = _IdList()

        def __call__(self, schema: Any, require_properties: bool = True, meta_checked: bool = False) -> Iterator[Any]:
            if self.level >= MAX_SCHEMA_LEVELS:
                self.deferred.append(tuple(schema.parts))
                return
            self.level += 1
            try:
                yield from super().__call__(schema, require_properties, meta_checked)
            finally:
                self.level -= 1

        _collect_properties = _collect_properties

        def _get_validator_class_for_dialect(self, dialect_id: str) -> Any:
            if minor >= 2 and dialect_id.startswith(_OAS32_DIALECTS):
                dialect_id = keywords.OpenAPIV31SchemaValidator.default_jsonschema_dialect_id
            return super()._get_validator_class_for_dialect(dialect_id)

        def _get_schema_checker(self, schema: Any, schema_value: Any) -> Any:
            check = super()._get_schema_checker(schema, schema_value)
            if minor < 2:
                return check
            return lambda value: check(_without_32_keywords(value))

    keyword_validators = {**base_cls.keyword_validators, "schema": _SchemaValidator}
    if minor >= 2:
        keyword_validators["path"] = _path_validator_32(keyword_validators["path"])
    meta, fast = _meta_validators(minor)
    return type(
        "_Validator",
        (base_cls,),
        {
            "schema_validator": meta,
            "sdkgen_fast_validator": fast,
            "resolver_handlers": handlers,
            "keyword_validators": {key: _marking(key, cls) for key, cls in keyword_validators.items()},
            "iter_errors": _iter_errors,
            # The second pass follows every $ref: not on a document with broken ones.
            "sdkgen_second_pass": not ws.broken,
        },
    )


@cache
def _meta_validators(minor: int) -> tuple[Any, Any]:
    """The validators of the document against the OpenAPI schema of its version: jsonschema's
    (whatever backend openapi-spec-validator would pick), and jsonschema-rs's (``None`` when it
    is not installed).  Formats are not checked, as jsonschema does not check them."""
    from jsonschema.validators import validator_for
    from openapi_spec_validator.schemas import schema_v30, schema_v31

    if minor >= 2:
        schema = json.loads(OAS32_SCHEMA.read_text(encoding="utf-8"))
    else:
        schema = dict(schema_v31 if minor >= 1 else schema_v30)
    meta = validator_for(schema)(schema)
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - jsonschema-rs is a dependency; still optional here
        return meta, None
    return meta, jsonschema_rs.validator_cls_for(schema)(schema, validate_formats=False)


# What the 3.2 schema dialect adds to 3.1's: keywords the 3.1 meta-schema refuses.
_KEYWORDS_32 = {"discriminator": ("defaultMapping",), "xml": ("nodeType",)}


def _without_32_keywords(value: Any) -> Any:
    """A schema as the 3.1 dialect sees it: without the keywords only 3.2 has."""
    if isinstance(value, list):
        return [_without_32_keywords(v) for v in value]
    if not isinstance(value, Mapping):
        return value
    out = {}
    for key, sub in value.items():
        if key in _KEYWORDS_32 and isinstance(sub, Mapping):
            sub = {k: v for k, v in sub.items() if k not in _KEYWORDS_32[key]}
        out[key] = _without_32_keywords(sub)
    return out


def _path_validator_32(base: type[Any]) -> type[Any]:
    """The path item check of 3.1, also over the operations 3.2 adds (``query``, and each of
    ``additionalOperations``, whose keys are the methods as sent)."""

    def call(self: Any, url: str, path_item: Any) -> Iterator[Any]:
        yield from base.__call__(self, url, path_item)
        parameters = path_item / "parameters" if "parameters" in path_item else None
        if "query" in path_item:
            yield from self.operation_validator(url, "query", path_item / "query", parameters)
        if "additionalOperations" in path_item:
            for method, operation in (path_item / "additionalOperations").items():
                yield from self.operation_validator(url, str(method), operation, parameters)

    return type(base.__name__, (base,), {"__call__": call})


def _surely_valid(fast: Any, document: Any) -> bool:
    """jsonschema-rs found the document valid (anything it cannot take, a key that is not a
    string for one, leaves the answer to jsonschema)."""
    if fast is None:
        return False
    try:
        return bool(fast.is_valid(document))
    except Exception:  # noqa: BLE001 - jsonschema's walk decides instead
        return False


def _marking(key: str, cls: type[Any]) -> type[Any]:
    """``cls`` with each error it yields marked with the object it was checking (its path as
    the library walked it, and whether the error is about that object's ``default`` value),
    unless a nested check marked it first."""
    from jsonschema_path import SchemaPath

    def call(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        where = next((a for a in args if isinstance(a, SchemaPath)), None)
        for error in cls.__call__(self, *args, **kwargs):
            if where is not None and getattr(error, "sdkgen_at", None) is None:
                error.sdkgen_at = (tuple(where.parts), key == "default")
            yield error

    return type(cls.__name__, (cls,), {"__call__": call})


class _IdList(list[int]):
    """The library keeps the ids of the schemas it has visited in a list (linear lookups,
    quadratic over a document): the same list, with a set for membership."""

    def __init__(self) -> None:
        super().__init__()
        self._members: set[int] = set()

    def append(self, item: int) -> None:
        super().append(item)
        self._members.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._members


def _iter_errors(self: Any) -> Iterator[Any]:
    """The document against the OpenAPI schema; then, only when it passed, the checks that
    assume a well-formed document.  (Not cached per instance, unlike the library's.)"""
    clean = True
    if not _surely_valid(self.sdkgen_fast_validator, self.schema):
        for error in self.schema_validator.iter_errors(self.schema):
            clean = False
            yield error
    if clean and self.sdkgen_second_pass:
        yield from self.root_validator(self.schema_path)


def _collect_properties(self: Any, schema: Any) -> set[str]:
    """Every property name reachable from a schema through allOf/anyOf/oneOf/items/not, each
    schema visited once."""
    props: set[str] = set()
    seen: set[int] = set()
    stack = [schema]
    while stack:
        current = stack.pop()
        value = current.read_value()
        if not isinstance(value, Mapping) or id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value.get("properties"), Mapping):
            props.update(str(name) for name in value["properties"])
        for keyword in ("allOf", "anyOf", "oneOf"):
            if isinstance(value.get(keyword), list):
                stack.extend(current / keyword)
        for keyword in ("items", "not"):
            if isinstance(value.get(keyword), Mapping):
                stack.append(current / keyword)
    return props
