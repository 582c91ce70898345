"""JSON values synthesized from an OpenAPI schema (3.0 or 3.1), as openapi-core sees it.

Works on ``jsonschema_path.SchemaPath`` nodes (the ``spec`` of an ``openapi_core.OpenAPI``), so
``$ref``s, including ones into other files, resolve transparently.  The value honours what a
validator checks: ``const``/``enum``, ``format`` (uuid, date-time, date, email, uri, byte),
bounds and lengths, required properties, ``allOf`` merges, the first ``oneOf``/``anyOf`` member
(a discriminator property takes the member's own const/enum), 3.1 type arrays and 3.0 ``nullable``; ``readOnly`` properties
are left out of requests and ``writeOnly`` ones out of responses.

Optional properties, map entries and array items are filled too, so the SDK parses as much as
possible, down to a nesting depth and until a node budget runs out; below that only required
values are written, which keeps recursive schemas (JSON Schema describing itself, trees) small
and finite.
"""

from __future__ import annotations

from typing import Any, Literal

from jsonschema_path import SchemaPath

Direction = Literal["request", "response"]

UUID = "248df4b7-aa70-47b8-a036-33ac447e668d"
_STRING_FORMATS = {
    "uuid": UUID,
    "date-time": "2024-01-15T09:30:00Z",
    "date": "2024-01-15",
    "time": "09:30:00Z",
    "email": "user@example.com",
    "uri": "https://example.com/resource",
    "url": "https://example.com/resource",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "byte": "Ynl0ZXM=",
    "binary": "bytes",
}
_FREE_FORM = {"free": "form"}
_OPTIONAL_DEPTH = 6  # optional values (properties, map entries, array items) above this nesting
_MAX_DEPTH = 16  # required-only chains deeper than this are a schema bug, not a sample


class Synth:
    def __init__(self, direction: Direction, budget: int = 250) -> None:
        self.direction = direction
        self.budget = budget

    def value(self, schema: SchemaPath, depth: int = 0) -> Any:
        """A value of the schema; raises ``ValueError`` when none can be built."""
        if depth > _MAX_DEPTH:
            raise ValueError(f"schema nests required values deeper than {_MAX_DEPTH}: {schema.as_uri()}")
        raw = schema.read_value()
        if isinstance(raw, bool):  # 3.1 boolean schema
            return _FREE_FORM
        if "const" in schema:
            return _get(schema, "const")
        enum = _get(schema, "enum")
        if isinstance(enum, list) and any(v is not None for v in enum):
            return next(v for v in enum if v is not None)
        if "allOf" in schema:
            return self._all_of(schema, depth)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                return self._first_of(schema, key, depth)
        kind = _type(schema)
        if kind == "object" or (kind is None and ("properties" in schema or "additionalProperties" in schema)):
            return self._object(schema, depth)
        if kind == "array":
            return self._array(schema, depth)
        if kind == "string":
            return _string(schema)
        if kind == "integer":
            return int(_number(schema, 7))
        if kind == "number":
            return _number(schema, 1.5)
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return _FREE_FORM  # no type: anything goes

    # -- composites -------------------------------------------------------------------------

    def _object(self, schema: SchemaPath, depth: int) -> dict[str, Any]:
        required = _get(schema, "required") or []
        out: dict[str, Any] = {}
        if "properties" in schema:
            for name, prop in (schema / "properties").str_items():
                if not self._wanted(prop):
                    continue
                if name in required or self._optional(depth):
                    self.budget -= 1
                    out[name] = self.value(prop, depth + 1)
        extra = _get(schema, "additionalProperties")
        wanted = self._optional(depth) or int(_get(schema, "minProperties") or 0) > len(out)
        if not out and extra is not False and wanted and "properties" not in schema:
            if extra is None or extra is True or extra == {}:
                out["key"] = "value"
            else:
                self.budget -= 1
                out["key"] = self.value(schema / "additionalProperties", depth + 1)
        return out

    def _array(self, schema: SchemaPath, depth: int) -> list[Any]:
        count = max(1, int(_get(schema, "minItems") or 0))
        if _get(schema, "maxItems") == 0 or ("items" not in schema and count == 0):
            return []
        if not self._optional(depth) and not _get(schema, "minItems"):
            return []
        self.budget -= 1
        item = self.value(schema / "items", depth + 1) if "items" in schema else "item"
        return [item] * count

    def _all_of(self, schema: SchemaPath, depth: int) -> Any:
        merged: dict[str, Any] = {}
        for part in schema / "allOf":
            value = self.value(part, depth)
            if not isinstance(value, dict):
                return value
            merged.update(value)
        if "properties" in schema:  # siblings of allOf
            merged.update(self._object(schema, depth))
        return merged

    def _first_of(self, schema: SchemaPath, key: str, depth: int) -> Any:
        # The first non-null member; a discriminator property gets its value from the member's
        # own schema (an enum or const there), which is how discriminated members are written.
        members = [m for m in schema / key if _type(m) != "null"]
        return self.value(members[0], depth) if members else None

    def _optional(self, depth: int) -> bool:
        return self.budget > 0 and depth < _OPTIONAL_DEPTH

    def _wanted(self, prop: SchemaPath) -> bool:
        if self.direction == "request":
            return not _get(prop, "readOnly", False)
        return not _get(prop, "writeOnly", False)


def _get(schema: SchemaPath, key: str, default: Any = None) -> Any:
    """A keyword's plain value (``SchemaPath.get`` answers lists and mappings with paths)."""
    return (schema / key).read_value() if key in schema else default


def _type(schema: SchemaPath) -> str | None:
    kind = _get(schema, "type")
    if isinstance(kind, list):  # 3.1: [string, 'null']
        kinds = [k for k in kind if k != "null"]
        return kinds[0] if kinds else "null"
    return kind if isinstance(kind, str) else None


def _string(schema: SchemaPath) -> str:
    fmt = _get(schema, "format")
    if fmt in _STRING_FORMATS:
        return _STRING_FORMATS[fmt]
    if "pattern" in schema:
        example = _get(schema, "example")
        if isinstance(example, str):
            return example
        raise ValueError(f"cannot synthesize a string for the pattern at {schema.as_uri()}; add an example")
    text = "sample"
    low = int(_get(schema, "minLength") or 0)
    high = _get(schema, "maxLength")
    if len(text) < low:
        text = text + "x" * (low - len(text))
    if isinstance(high, int):
        text = text[:high]
    return text


def _number(schema: SchemaPath, preferred: float) -> float:
    low = _get(schema, "minimum")
    high = _get(schema, "maximum")
    ex_low = _get(schema, "exclusiveMinimum")
    ex_high = _get(schema, "exclusiveMaximum")
    value = preferred
    if isinstance(low, (int, float)) and not isinstance(low, bool) and value < low:
        value = low + (1 if ex_low is True else 0)
    if isinstance(ex_low, (int, float)) and not isinstance(ex_low, bool) and value <= ex_low:
        value = ex_low + 1
    if isinstance(high, (int, float)) and not isinstance(high, bool) and value > high:
        value = high - (1 if ex_high is True else 0)
    if isinstance(ex_high, (int, float)) and not isinstance(ex_high, bool) and value >= ex_high:
        value = ex_high - 1
    step = _get(schema, "multipleOf")
    if isinstance(step, (int, float)) and step:
        value = step * max(1, round(value / step))
    return value
