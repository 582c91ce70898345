"""Server-sent event responses (``text/event-stream``) → ``EventStream``.

The type of each event comes from, in order: OpenAPI 3.2 ``itemSchema``; Fern's operation
extension ``x-fern-streaming`` (``format: sse``, ``response-stream``, ``stream-condition``);
the media type's ``schema`` (what 3.0/3.1 documents write, and what Speakeasy reads).  A
schema whose properties are only the event fields (``event``, ``data``, ``id``, ``retry``) —
alone, or as ``oneOf``/``anyOf`` variants, each naming its event with ``const`` — describes
the whole event (an *envelope*): the SDK validates ``{"event", "data", "id", "retry"}``, so a
union is told apart by the event name; ``data`` is JSON unless typed as a plain string (a
``contentSchema`` types the JSON inside a string).  Any other schema types the decoded
``data``.  ``x-speakeasy-sse-sentinel`` (on the media type, the response or the operation)
names the data that ends the stream; ``[DONE]`` otherwise.

Where an operation answers JSON or a stream, a boolean request-body field (``stream``, or
Fern's ``stream-condition``) chooses; without one the stream is not generated (warned).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..diagnostics import Diagnostics
from ..loader import Location, RefError, Workspace
from . import oas32
from .nodes import Body, EventStream, Response
from .schemas import SchemaConverter
from .types import Prim, TypeRef, strip_nullable

SSE = "text/event-stream"
_FIELDS = frozenset({"event", "data", "id", "retry"})
_SENTINEL_KEYS = ("x-speakeasy-sse-sentinel", "x-sse-sentinel")


def sse_media(content: dict[str, Any]) -> str | None:
    """The ``text/event-stream`` key of a content map, if any."""
    return next((m for m in content if m.split(";", 1)[0].strip().lower() == SSE), None)


def _sentinel(*nodes: Any) -> str | None:
    for node in nodes:
        if isinstance(node, dict):
            for key in _SENTINEL_KEYS:
                if isinstance(node.get(key), str):
                    return str(node[key])
    return "[DONE]"


@dataclass(slots=True)
class StreamReader:
    ws: Workspace
    diagnostics: Diagnostics
    schemas: SchemaConverter

    def attach(self, response: Response, op: dict[str, Any], loc: Location, hint: str) -> Response:
        """``response`` with the events of the operation's first success response that has
        ``text/event-stream`` content (or Fern's ``response-stream``)."""
        fern = op.get("x-fern-streaming")
        raw = op.get("responses")
        responses: dict[str, Any] = {str(c): v for c, v in raw.items()} if isinstance(raw, dict) else {}
        for code in sorted(responses):
            if not code.startswith("2"):
                continue
            at = loc.child("responses", code)
            node = responses[code]
            if isinstance(node, dict) and "$ref" in node:
                try:
                    at, node = self.ws.resolve(node["$ref"], at)
                except RefError:
                    continue  # reported where the response is read
            content = node.get("content") if isinstance(node, dict) else None
            if not isinstance(content, dict) or sse_media(content) is None:
                continue
            events = self._media_events(content, node, op, at, loc, hint)
            if events is None:
                return response
            return replace(response, events=events, item_type=response.item_type or events.type)
        if isinstance(fern, dict) and fern.get("format") == "sse" and "response-stream" in fern:
            at = loc.child("x-fern-streaming", "response-stream")
            return replace(response, events=self._typed(fern["response-stream"], at, hint, _sentinel(op)))
        return response

    def _media_events(
        self, content: dict[str, Any], response: Any, op: dict[str, Any], loc: Location, op_loc: Location, hint: str
    ) -> EventStream | None:
        media_type = sse_media(content)
        assert media_type is not None
        try:
            media, media_loc = oas32.media(self.ws, content, media_type, loc)
        except RefError:
            return None  # reported where the response's own media type is read
        sentinel = _sentinel(media, response, op)
        fern = op.get("x-fern-streaming")
        if "itemSchema" in media:
            return self._typed(media["itemSchema"], media_loc.child("itemSchema"), hint, sentinel)
        if isinstance(fern, dict) and "response-stream" in fern:
            at = op_loc.child("x-fern-streaming", "response-stream")
            return self._typed(fern["response-stream"], at, hint, sentinel)
        if "schema" in media:
            return self._typed(media["schema"], media_loc.child("schema"), hint, sentinel)
        return EventStream(Prim("str"), json_data=False, sentinel=sentinel)

    def _typed(self, schema: Any, at: Location, hint: str, sentinel: str | None) -> EventStream:
        node = self._resolve(schema, at)
        variants = self._envelope(node, at)
        if variants is None:
            t = self.schemas.type_of(schema, at, hint)
            return EventStream(t, json_data=not _is_text(node), sentinel=sentinel)
        top, members = variants
        names = tuple(n for n in (_event_name(v) for v in members) if n is not None)
        if len(names) != len(members) or not members:
            names = () if _event_name(top) is None or members else (str(_event_name(top)),)
        top_json = _data_is_json(self._data(top, at)) if top else False
        json_by_name = {
            str(_event_name(m)): _data_is_json(self._data(m, at)) if self._data(m, at) is not None else top_json
            for m in members
        }
        json_data = top_json or any(json_by_name.values())
        text_names = tuple(n for n in names if not json_by_name.get(n, True)) if json_data else ()
        rewritten = self._rewrite(schema, top, members, at)
        t = self.schemas.type_of(rewritten, at, hint)
        return EventStream(t, envelope=True, json_data=json_data, sentinel=sentinel, names=names, text_names=text_names)

    def _resolve(self, node: Any, at: Location) -> Any:
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 20:
            try:
                at, node = self.ws.resolve(node["$ref"], at)
            except RefError:
                return {}
            seen += 1
        return node

    def _envelope(self, node: Any, at: Location) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
        """(the object's own part, its ``oneOf``/``anyOf`` variants) when the schema describes
        whole events, else None."""
        if not isinstance(node, dict):
            return None
        raw = node.get("oneOf") or node.get("anyOf")
        members = [self._resolve(m, at) for m in raw] if isinstance(raw, list) else []
        parts = [p for p in [node, *members] if isinstance(p, dict) and isinstance(p.get("properties"), dict)]
        if not parts or len(parts) < len(members) + (1 if "properties" in node else 0):
            return None
        if any(not set(p["properties"]) <= _FIELDS for p in parts):
            return None
        if not any("data" in p["properties"] or "event" in p["properties"] for p in parts):
            return None
        top = node if isinstance(node.get("properties"), dict) else {}
        return top, [m for m in members if isinstance(m, dict)]

    def _data(self, part: dict[str, Any], at: Location) -> Any:
        props = part.get("properties")
        return self._resolve(props.get("data"), at) if isinstance(props, dict) else None

    def _rewrite(self, schema: Any, top: dict[str, Any], members: list[dict[str, Any]], at: Location) -> Any:
        """The schema with ``contentSchema`` in place of JSON-in-a-string ``data``, and the
        object's own properties merged into each variant; unchanged when neither applies."""
        parts = [top, *members]
        if not any(
            isinstance(self._data(p, at), dict) and "contentSchema" in self._data(p, at) for p in parts
        ) and not (top and members):
            return schema

        def fixed(part: dict[str, Any]) -> dict[str, Any]:
            props = dict(part.get("properties") or {})
            data = self._data(part, at)
            if isinstance(data, dict) and "contentSchema" in data:
                props["data"] = data["contentSchema"]
            out = {k: v for k, v in part.items() if k not in ("oneOf", "anyOf")}
            out["properties"] = props
            return out

        if not members:
            return fixed(top)
        merged = []
        for m in members:
            base = fixed(top) if top else {}
            own = fixed(m)
            props = {**(base.get("properties") or {}), **own["properties"]}
            required = sorted({*base.get("required", []), *own.get("required", [])})
            merged.append(
                {
                    "type": "object",
                    **{k: v for k, v in own.items() if k != "required"},
                    "properties": props,
                    "required": required,
                }
            )
        return {"oneOf": merged}


def _is_text(node: Any) -> bool:
    """A plain string schema: the data is sent as text, not JSON."""
    if not isinstance(node, dict):
        return False
    kind = node.get("type")
    string = kind == "string" or (isinstance(kind, list) and set(kind) <= {"string", "null"} and "string" in kind)
    media = str(node.get("contentMediaType") or "")
    return string and "contentSchema" not in node and "json" not in media


def _data_is_json(node: Any) -> bool:
    return node is not None and not _is_text(node)


def _event_name(part: dict[str, Any]) -> str | None:
    props = part.get("properties") if isinstance(part, dict) else None
    event = props.get("event") if isinstance(props, dict) else None
    if not isinstance(event, dict):
        return None
    if isinstance(event.get("const"), str):
        return str(event["const"])
    enum = event.get("enum")
    if isinstance(enum, list) and len(enum) == 1 and isinstance(enum[0], str):
        return enum[0]
    return None


def with_condition(
    response: Response, body: Body | None, op: dict[str, Any], diagnostics: Diagnostics, loc: Location
) -> Response:
    """Decide how an operation with events returns them: always (no JSON alternative), chosen
    by a boolean request field, or not at all (warned)."""
    events = response.events
    if events is None:
        return response
    if response.kind != "json":
        return response
    fern = op.get("x-fern-streaming")
    wanted = "stream"
    if isinstance(fern, dict) and isinstance(fern.get("stream-condition"), str):
        wanted = fern["stream-condition"].removeprefix("$request.")
    field = next((f for f in (body.fields if body else ()) if f.wire == wanted and _is_bool(f.type)), None)
    if field is None:
        diagnostics.warning(
            "the text/event-stream response is not generated: the operation answers JSON too, and no boolean "
            f"request-body field {wanted!r} chooses the stream",
            loc.file,
            loc.pointer + "/responses",
        )
        return replace(response, events=None)
    return replace(response, events=replace(events, condition=field.wire))


def _is_bool(t: TypeRef) -> bool:
    return strip_nullable(t) == Prim("bool")
