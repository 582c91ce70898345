"""Path Items and Operations → ``Operation`` nodes (parameters, body, responses, security)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from ..diagnostics import Diagnostics
from ..loader import Location, RefError, Workspace
from ..naming import PARAM_RESERVED, REQUEST_OPTIONS, Ident, Scope, convert
from . import oas32, param_names, servers, streams
from .nodes import Body, BodyKind, Field, Operation, Param, Response, ResponseKind, Server
from .param_styles import read_encoding, read_serialization
from .schemas import SchemaConverter
from .skips import Skips
from .tags import TagTree
from .types import ANY, ListOf, Prim, TypeRef, UnionOf, nullable

TAIL = REQUEST_OPTIONS | {"self", "cls"}  # the per-call tail, read from the runtime (naming)
# Header parameters OpenAPI says to ignore: the transport sets them.
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})


@dataclass(frozen=True, slots=True)
class RawOperation:
    """An operation before its method name is minted (names are minted per resource)."""

    tag_path: tuple[str, ...]
    name_hint: str
    build: OperationDraft


@dataclass(frozen=True, slots=True)
class OperationDraft:
    key: str
    operation_id: str
    method: str
    path: str
    summary: str
    doc: str
    path_params: tuple[Param, ...]
    params: tuple[Param, ...]
    body: Body | None
    response: Response
    errors: tuple[Response, ...]
    security: tuple[tuple[str, ...], ...]
    idempotency_header: str | None
    version_header: bool
    deprecated: bool
    location: str
    url_path: str = ""
    fixed_query: tuple[tuple[str, str], ...] = ()
    server: Server | None = None

    def named(self, name: Ident) -> Operation:
        return Operation(
            key=self.key,
            operation_id=self.operation_id,
            name=name,
            method=self.method,
            path=self.path,
            summary=self.summary,
            doc=self.doc,
            path_params=self.path_params,
            params=self.params,
            body=self.body,
            response=self.response,
            errors=self.errors,
            security=self.security,
            idempotency_header=self.idempotency_header,
            version_header=self.version_header,
            deprecated=self.deprecated,
            pagination=None,
            location=self.location,
            url_path=self.url_path,
            fixed_query=self.fixed_query,
            server=self.server,
        )


@dataclass(slots=True)
class OperationReader:
    ws: Workspace
    diagnostics: Diagnostics
    schemas: SchemaConverter
    version_header: str | None
    idempotency_header: str
    default_security: tuple[tuple[str, ...], ...]
    scheme_keys: frozenset[str]
    tags: TagTree = field(default_factory=TagTree)
    root_server: Server | None = None

    def read_all(self, document: dict[str, Any], root: Location) -> list[RawOperation]:
        paths = document.get("paths") or {}
        out: list[RawOperation] = []
        requests: list[tuple[str, str, servers.PathKey, Location]] = []
        if not isinstance(paths, dict):
            self.diagnostics.error("'paths' must be a mapping", root.file, "/paths")
            return out
        for path in sorted(paths):
            item_loc = site = root.child("paths", path)
            item = paths[path]
            if isinstance(item, dict) and "$ref" in item:
                site = site.child("$ref")
                try:
                    item_loc, item = self.ws.resolve(item["$ref"], item_loc)
                except RefError as exc:
                    with self.skips.piece(f"path {path!r} (all its operations)", item_loc):
                        self.skips.broken(exc, item_loc)
                    continue
            if not isinstance(item, dict):
                self.diagnostics.warning("a path item must be an object; skipped", site.file, site.pointer)
                continue
            key = servers.split_path_key(path, root.child("paths", path), self.diagnostics)
            shared = self._server(item.get("servers"), item_loc.child("servers"))
            for method, op, op_loc in oas32.operations(item, item_loc, self.schemas.minor, self.diagnostics, is_token):
                requests.append((method, path, key, op_loc))
                op_id = op.get("operationId")
                named = f"{op_id!r} ({method.upper()} {path})" if isinstance(op_id, str) else f"{method.upper()} {path}"
                with self.skips.piece(f"operation {named}", op_loc) as piece:
                    raw = self._read(path, method, op, op_loc, item, item_loc)
                    own = self._server(op.get("servers"), op_loc.child("servers"))
                    kept = servers.fixed_query(key.query, raw.build.params, raw.build.location, self.diagnostics)
                    located = replace(raw.build, url_path=key.path, fixed_query=kept, server=own or shared)
                    raw = replace(raw, build=located)
                if not piece.skipped:
                    out.append(raw)
        servers.report_same_requests(requests, self.diagnostics)
        return out

    def _server(self, raw: Any, loc: Location) -> Server | None:
        server = servers.read_servers(raw, loc, self.diagnostics, self.root_server)
        return None if server is None else servers.resolve_against(server, self.root_server, self.diagnostics)

    @property
    def skips(self) -> Skips:
        return self.schemas.skips

    def _broken(self, exc: RefError, at: Location) -> None:
        if not self.skips.broken(exc, at):  # pragma: no cover - operations are always pieces
            self.diagnostics.warning(exc.message, at.file, at.pointer + "/$ref")

    def _read(
        self, path: str, method: str, op: dict[str, Any], loc: Location, item: dict[str, Any], item_loc: Location
    ) -> RawOperation:
        op_id = op["operationId"] if isinstance(op.get("operationId"), str) else ""
        pascal = convert(op_id or f"{method} {path}", "pascal") or "Operation"
        tag_path = self.tags.resource_of(op["tags"] if isinstance(op.get("tags"), list) else []) or (_path_group(path),)
        tag_path = tuple(seg for seg in tag_path if seg) or ("default",)
        scope = Scope(style="snake", reserved=TAIL | PARAM_RESERVED, digit_prefix="param", fallback="param")
        raw_params = self._merge_params(item.get("parameters"), item_loc, op.get("parameters"), loc)
        path_params, params, version, idem = self._params(raw_params, path, pascal, scope, loc)
        body = self._body(op.get("requestBody"), loc.child("requestBody"), pascal, scope)
        response, errors = self._responses(op.get("responses"), loc.child("responses"), pascal)
        response = streams.StreamReader(self.ws, self.diagnostics, self.schemas).attach(
            response, op, loc, pascal + "Event"
        )
        response = streams.with_condition(response, body, op, self.diagnostics, loc)
        security = self._security(op, loc)
        draft = OperationDraft(
            key=f"{method} {path}",
            operation_id=op_id,
            method=method,
            path=path,
            summary=_text(op.get("summary")),
            doc=_text(op.get("description")),
            path_params=path_params,
            params=params,
            body=body,
            response=response,
            errors=errors,
            security=security,
            idempotency_header=idem,
            version_header=version,
            deprecated=op.get("deprecated") is True,
            location=str(loc),
        )
        return RawOperation(tag_path, _method_hint(op_id, method, path, tag_path), draft)

    # -- parameters ---------------------------------------------------------------------

    def _merge_params(
        self, shared: Any, shared_loc: Location, own: Any, own_loc: Location
    ) -> list[tuple[dict[str, Any], Location]]:
        merged: dict[tuple[str, str], tuple[dict[str, Any], Location]] = {}
        for group, group_loc in ((shared, shared_loc.child("parameters")), (own, own_loc.child("parameters"))):
            if not isinstance(group, list):
                continue
            for i, raw in enumerate(group):
                p_loc = group_loc.child(i)
                if isinstance(raw, dict) and "$ref" in raw:
                    try:
                        p_loc, raw = self.ws.resolve(raw["$ref"], p_loc)
                    except RefError as exc:
                        self._broken(exc, p_loc)
                        continue
                if (
                    not isinstance(raw, dict)
                    or not isinstance(raw.get("name"), str)
                    or raw.get("in") not in ("path", "query", "querystring", "header", "cookie")
                ):
                    self.diagnostics.warning(
                        "parameter without a valid 'name' and 'in' skipped", p_loc.file, p_loc.pointer
                    )
                    continue
                if raw["in"] in ("header", "cookie") and not is_token(raw["name"]):
                    self.diagnostics.warning(
                        f"{raw['in']} parameter {raw['name']!r} skipped: not a valid HTTP {raw['in']} name",
                        p_loc.file,
                        p_loc.pointer + "/name",
                    )
                    continue
                merged[(raw["name"], raw["in"])] = (raw, p_loc)
        return list(merged.values())

    def _params(
        self, raw: list[tuple[dict[str, Any], Location]], path: str, pascal: str, scope: Scope, loc: Location
    ) -> tuple[tuple[Param, ...], tuple[Param, ...], bool, str | None]:
        version = False
        idem: str | None = None
        template_names = _template_names(servers.path_part(path))
        by_path = {p["name"]: (p, p_loc) for p, p_loc in raw if p["in"] == "path"}
        others = []
        for p, p_loc in raw:
            lower = p["name"].lower()
            if p["in"] == "header" and self.version_header and lower == self.version_header.lower():
                version = True
            elif p["in"] == "header" and lower == self.idempotency_header.lower():
                idem = p["name"]
            elif p["in"] == "header" and lower in _IGNORED_HEADERS:
                continue
            elif p["in"] == "querystring":
                as_query = oas32.querystring(p, p_loc, self.diagnostics)
                if as_query is not None:
                    others.append((as_query, p_loc))
            elif p["in"] != "path":
                others.append((p, p_loc))
        for name in sorted(set(by_path) - set(template_names)):
            p_loc = by_path[name][1]
            self.diagnostics.warning(
                f"path parameter {name!r} does not appear in the path; skipped", p_loc.file, p_loc.pointer
            )
        ordered = [
            by_path.get(n, ({"name": n, "in": "path", "required": True, "schema": {"type": "string"}}, loc))
            for n in template_names
        ]
        for n in template_names:
            if n not in by_path:
                self.diagnostics.warning(
                    f"path parameter {n!r} is not declared; typed as a string", loc.file, loc.pointer
                )
        names = scope.mint_all([p["name"] for p, _ in ordered])
        path_params = tuple(self._param(p, p_loc, names[p["name"]], pascal) for p, p_loc in ordered)
        wanted = param_names.shared_names(
            [(p["name"], p["in"]) for p, _ in ordered], [(p["name"], p["in"]) for p, _ in others]
        )
        other_names = param_names.mint_own_names_first(scope, wanted, [p["name"] for p, _ in others])
        params = tuple(
            self._param(p, p_loc, name, pascal) for (p, p_loc), name in zip(others, other_names, strict=True)
        )
        locs = [loc for _, loc in [*ordered, *others]]
        param_names.report_shared(self.diagnostics, list(zip([*path_params, *params], locs, strict=True)))
        return path_params, params, version, idem

    def _param(self, p: dict[str, Any], loc: Location, name: Ident, pascal: str) -> Param:
        schema = p.get("schema")
        schema_loc = loc.child("schema")
        media_type = ""
        if schema is None and isinstance(p.get("content"), dict) and p["content"]:
            media_type = next(iter(p["content"]))
            try:
                media, media_loc = oas32.media(self.ws, p["content"], media_type, loc)
            except RefError as exc:
                self._broken(exc, loc.child("content", media_type))
                media, media_loc = {}, loc
            schema, schema_loc = media.get("schema"), media_loc.child("schema")
        t = self.schemas.type_of(
            schema if schema is not None else {"type": "string"},
            schema_loc,
            pascal + convert(p["name"], "pascal"),
        )
        location = p["in"]
        wire = read_serialization(p, schema, self.ws, loc, self.diagnostics)
        schema_d = schema if isinstance(schema, dict) else {}
        return Param(
            wire=p["name"],
            name=name,
            location=location,
            type=t,
            required=p.get("required") is True or location == "path",
            doc=_text(p.get("description")),
            style=wire.style,
            explode=wire.explode,
            deprecated=p.get("deprecated") is True,
            default=schema_d.get("default"),
            has_default="default" in schema_d,
            allow_reserved=wire.allow_reserved,
            content_type=_param_media(media_type),
        )

    # -- request body -------------------------------------------------------------------

    def _body(self, raw: Any, loc: Location, pascal: str, scope: Scope) -> Body | None:
        if raw is None:
            return None
        if isinstance(raw, dict) and "$ref" in raw:
            try:
                loc, raw = self.ws.resolve(raw["$ref"], loc)
            except RefError as exc:
                self._broken(exc, loc)
                return None
        content = raw.get("content") if isinstance(raw, dict) else None
        if not isinstance(content, dict) or not content:
            self.diagnostics.warning("request body without content skipped", loc.file, loc.pointer)
            return None
        media_type, kind = _pick_body_media(content)
        if not _MEDIA_TYPE.fullmatch(media_type):
            # sent as the Content-Type header: no control or non-ASCII characters
            self.diagnostics.warning(
                f"request body skipped: {media_type!r} is not a valid media type", loc.file, loc.pointer + "/content"
            )
            return None
        try:
            media, media_loc = oas32.media(self.ws, content, media_type, loc)
        except RefError as exc:
            self._broken(exc, loc.child("content", media_type))
            return None
        schema = media.get("schema", {})
        schema_loc = media_loc.child("schema")
        required = raw.get("required") is True
        doc = _text(raw.get("description"))
        item = self._item_type(media, media_loc, media_type, pascal + "BodyItem", "sent")
        if kind in ("json", "form", "multipart"):
            flat = self._flatten(schema, schema_loc, pascal + "Body", kind, scope)
            if flat is not None:
                encoding = read_encoding(media, media_loc, kind == "form", self.diagnostics) if kind != "json" else ()
                return Body(kind, media_type, required, fields=flat, doc=doc, item_type=item, encoding=encoding)
        if kind == "binary":
            t: TypeRef = Prim("bytes")
        elif kind == "text":
            t = Prim("str")
        else:
            t = self.schemas.type_of(schema, schema_loc, pascal + "Body")
        return Body(kind, media_type, required, type=t, name=scope.mint("body"), doc=doc, item_type=item)

    def _item_type(
        self, media: dict[str, Any], media_loc: Location, media_type: str, hint: str, reading: str
    ) -> TypeRef | None:
        """The type of ``itemSchema`` (OpenAPI 3.2), kept for streaming; None without one."""
        if "itemSchema" not in media or streams.sse_media({media_type: None}):
            return None  # server-sent events: typed by ``streams``
        oas32.item_schema_warning(media_type, media_loc, self.diagnostics, reading)
        return self.schemas.type_of(media["itemSchema"], media_loc.child("itemSchema"), hint)

    def _flatten(self, schema: Any, loc: Location, hint: str, kind: BodyKind, scope: Scope) -> tuple[Field, ...] | None:
        """An object body with properties becomes keyword arguments, one per property."""
        node, node_loc = schema, loc
        if isinstance(node, dict) and "$ref" in node:
            try:
                node_loc, node = self.ws.resolve(node["$ref"], loc)
            except RefError as exc:
                self._broken(exc, loc)
                return None
        if not isinstance(node, dict) or any(k in node for k in ("oneOf", "anyOf", "discriminator")):
            return None
        merged = self.schemas.collect(node, node_loc)
        props, required = merged.props, merged.required
        writable = {w: v for w, v in props.items() if not (isinstance(v[0], dict) and v[0].get("readOnly") is True)}
        if not writable:
            return None
        names = scope.mint_all(list(writable))
        fields = []
        for wire, (sub, sub_loc) in writable.items():
            t = self.schemas.type_of(sub, sub_loc, hint + convert(wire, "pascal"))
            if kind == "multipart" and _is_binary(sub):
                t = UnionOf((Prim("bytes"), Prim("str")))
            elif (
                kind == "multipart"
                and isinstance(sub, dict)
                and isinstance(sub.get("items"), dict)
                and _is_binary(sub["items"])
            ):
                t = ListOf(Prim("bytes"))
            sub_d = sub if isinstance(sub, dict) else {}
            fields.append(
                Field(
                    wire,
                    names[wire],
                    t,
                    wire in required,
                    _text(sub_d.get("description")),
                    sub_d.get("deprecated") is True,
                    sub_d.get("default"),
                    "default" in sub_d,
                )
            )
        return tuple(fields)

    # -- responses ----------------------------------------------------------------------

    def _responses(self, raw: Any, loc: Location, pascal: str) -> tuple[Response, tuple[Response, ...]]:
        if not isinstance(raw, dict) or not raw:
            self.diagnostics.warning("operation declares no responses; it returns None", loc.file, loc.pointer)
            return Response("200", "empty", None), ()
        codes = sorted(str(c) for c in raw)
        success = [c for c in codes if c.startswith("2")]
        errors = [c for c in codes if c[:1] in ("4", "5")]
        if "default" in codes:
            (errors if success else success).append("default")
        read = {
            c: self._response(raw[c], loc.child(c), c, pascal + "Response" + ("" if i == 0 else c))
            for i, c in enumerate(success)
        }
        response = self._success(read, loc) if read else Response("200", "empty", None)
        for code in (c for c in codes if c.startswith(("1", "3"))):
            if self._response(raw[code], loc.child(code), code, pascal + "Redirect" + code).kind != "empty":
                self.diagnostics.warning(
                    f"response {code} has a body the SDK never sees: "
                    + (
                        "redirects are followed" if code.startswith("3") else "informational responses are not returned"
                    ),
                    loc.file,
                    loc.child(code).pointer,
                )
        error_responses = tuple(self._response(raw[c], loc.child(c), c, f"{pascal}Error{c}") for c in errors)
        return response, error_responses

    def _success(self, read: dict[str, Response], loc: Location) -> Response:
        """One return type for every success response: the JSON bodies' union, ``Optional``
        when one of them is empty.  A body of another kind is named in a warning."""
        first = next((r for r in read.values() if r.kind == "json"), next(iter(read.values())))
        types: list[TypeRef] = []
        empty = False
        covered = []
        for code, r in read.items():
            if r.kind == "empty":
                empty = True
                covered.append(code)
            elif r.kind == first.kind and r.type is not None:
                types.append(r.type)
                covered.append(code)
            else:
                self.diagnostics.warning(
                    f"response {code} ({r.content_type}) is not generated: the method returns the "
                    f"{first.status} response ({first.content_type or 'no body'})",
                    loc.file,
                    loc.child(code).pointer,
                )
        unique = tuple(dict.fromkeys(types))
        accept = tuple(dict.fromkeys(m for c in covered for m in read[c].media_types))
        first = replace(first, media_types=accept)
        if not unique:
            return first
        t: TypeRef = unique[0] if len(unique) == 1 else UnionOf(unique)
        if empty and first.kind == "json":
            t = nullable(t)
        return replace(first, type=t, also=tuple(c for c in covered if c != first.status))

    def _response(self, raw: Any, loc: Location, status: str, hint: str) -> Response:
        if isinstance(raw, dict) and "$ref" in raw:
            try:
                loc, raw = self.ws.resolve(raw["$ref"], loc)
            except RefError as exc:
                self._broken(exc, loc)
                return Response(status, "empty", None)
        if not isinstance(raw, dict):
            return Response(status, "empty", None)
        doc = _text(raw.get("description"))
        content = raw.get("content")
        if not isinstance(content, dict) or not content:
            return Response(status, "empty", None, doc=doc)
        media_type, kind = _pick_response_media(content)
        try:
            media, media_loc = oas32.media(self.ws, content, media_type, loc)
        except RefError as exc:
            self._broken(exc, loc.child("content", media_type))
            return Response(status, "empty", None)
        item = self._item_type(media, media_loc, media_type, hint + "Item", "read")
        readable = _readable_media(content, kind)
        if kind == "json":
            schema = media.get("schema")
            t = self.schemas.type_of(schema, media_loc.child("schema"), hint) if schema is not None else ANY
            return Response(status, "json", t, media_type, doc, item_type=item, media_types=readable)
        body_type = Prim("str") if kind == "text" else Prim("bytes")
        return Response(status, kind, body_type, media_type, doc, item_type=item, media_types=readable)

    # -- security -----------------------------------------------------------------------

    def _security(self, op: dict[str, Any], loc: Location) -> tuple[tuple[str, ...], ...]:
        if "security" not in op:
            return self.default_security
        return read_security(op["security"], self.scheme_keys, self.diagnostics, loc.child("security"))


def read_security(
    raw: Any, known: frozenset[str], diagnostics: Diagnostics, loc: Location
) -> tuple[tuple[str, ...], ...]:
    if not isinstance(raw, list):
        return ()
    out = []
    for i, requirement in enumerate(raw):
        if not isinstance(requirement, dict):
            continue
        keys = tuple(sorted(str(k) for k in requirement))
        unknown = [k for k in keys if k not in known]
        if unknown:
            diagnostics.warning(
                f"unknown or unsupported security scheme {unknown[0]!r} ignored", loc.file, f"{loc.pointer}/{i}"
            )
            continue
        out.append(keys)
    return tuple(out)


_VERSION_SEGMENT = re.compile(r"(v\d+(\.\d+)*|api|rest)", re.IGNORECASE)


def _path_group(path: str) -> str:
    """The resource of an untagged operation: its first literal path segment after any
    version prefix (``/v1/customers/{id}`` → ``customers``), so that an untagged API gets one
    resource per collection instead of one huge ``default`` resource."""
    for segment in path.split("/"):
        if segment and "{" not in segment and not _VERSION_SEGMENT.fullmatch(segment):
            return segment.replace(".", "_")
    return "default"


_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_MEDIA_TYPE = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+[\x20-\x7e\t]*")


def is_token(name: str) -> bool:
    """An HTTP token (RFC 9110): what a header or cookie name may be."""
    return _TOKEN.fullmatch(name) is not None


def _template_names(path: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r"\{([^{}]+)\}", path)))


def _method_hint(op_id: str, method: str, path: str, tag_path: tuple[str, ...]) -> str:
    """The SDK method name before collision handling: ``models.list`` → ``list``."""
    if op_id:
        if "." in op_id.strip("."):
            return op_id.strip(".").rsplit(".", 1)[-1]
        snake = convert(op_id, "snake")
        prefix = "_".join(convert(seg, "snake") for seg in tag_path) + "_"
        if snake.startswith(prefix) and len(snake) > len(prefix):
            return snake[len(prefix) :]
        return snake or method
    return f"{method} {path}"


def _is_json(media_type: str) -> bool:
    base = media_type.split(";", 1)[0].strip().lower()
    return base in ("application/json", "*/*", "application/*") or base.endswith("+json") or base.endswith("/json")


def _pick_body_media(content: dict[str, Any]) -> tuple[str, BodyKind]:
    for media_type in content:
        if _is_json(media_type):
            return media_type, "json"
    for media_type in content:
        base = media_type.split(";", 1)[0].strip().lower()
        if base == "multipart/form-data":
            return media_type, "multipart"
        if base == "application/x-www-form-urlencoded":
            return media_type, "form"
    first = next(iter(content))
    return first, "text" if first.lower().startswith("text/") else "binary"


def _pick_response_media(content: dict[str, Any]) -> tuple[str, ResponseKind]:
    for media_type in content:
        if _is_json(media_type):
            return media_type, "json"
    first = next(iter(content))
    return first, "text" if first.lower().startswith("text/") else "binary"


def _param_media(media_type: str) -> str:
    """The media type a ``content`` parameter is written in; a form-urlencoded object is
    written as its ``form``-style pairs, which is what the default style does."""
    if not _MEDIA_TYPE.fullmatch(media_type) or media_type.split(";", 1)[0].strip().lower() == _FORM:
        return ""
    return media_type


_FORM = "application/x-www-form-urlencoded"


def _readable_media(content: dict[str, Any], kind: ResponseKind) -> tuple[str, ...]:
    """The media types of a response that the SDK reads as ``kind`` (JSON ones for JSON,
    ``text/*`` for text, any for bytes), as they may go in an ``Accept`` header."""
    out = []
    for media_type in content:
        if not isinstance(media_type, str) or not _MEDIA_TYPE.fullmatch(media_type):
            continue
        if kind == "json" and not _is_json(media_type):
            continue
        if kind == "text" and not media_type.lower().startswith("text/"):
            continue
        out.append(media_type)
    return tuple(out)


def _is_binary(schema: Any) -> bool:
    return (
        isinstance(schema, dict) and schema.get("type") == "string" and schema.get("format") in ("binary", "byte")
    ) or (isinstance(schema, dict) and "contentMediaType" in schema)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
