"""The intermediate representation: frozen dataclasses, built once, never mutated.

Names (``Ident``) are minted by ``generator.naming`` while the IR is built; wire names are
kept beside them.  Spec text (descriptions, summaries) is stored raw and escaped only when
printed, by ``generator.render.text``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Union

from ..naming import Ident
from .types import LiteralValue, PrimKind, TypeRef


@dataclass(frozen=True, slots=True)
class Field:
    wire: str
    name: Ident
    type: TypeRef
    required: bool
    doc: str = ""
    deprecated: bool = False
    default: Any = None  # the spec's default, documented (never turned into code)
    has_default: bool = False


@dataclass(frozen=True, slots=True)
class Model:
    key: str
    name: Ident
    module: Ident
    fields: tuple[Field, ...]
    doc: str = ""
    extra: TypeRef | None = None  # type of additionalProperties values, when declared
    location: str = ""
    # ``additionalProperties: false`` (or ``unevaluatedProperties: false``): no other property
    # is valid; ``checks``: its ``minProperties``/``maxProperties`` (see ``Constrained``)
    closed: bool = False
    checks: tuple[tuple[str, Any], ...] = ()
    # a ``oneOf``/``anyOf`` of ``required`` lists beside the properties: the wire names each
    # variant requires, and whether exactly one (oneOf) or at least one (anyOf) must hold
    variants: tuple[tuple[str, ...], ...] = ()
    exclusive: bool = False


@dataclass(frozen=True, slots=True)
class Enum:
    key: str
    name: Ident
    module: Ident
    values: tuple[LiteralValue, ...]
    base: PrimKind
    doc: str = ""
    location: str = ""


@dataclass(frozen=True, slots=True)
class Alias:
    key: str
    name: Ident
    module: Ident
    target: TypeRef
    doc: str = ""
    location: str = ""


Decl = Union[Model, Enum, Alias]

ParamLocation = Literal["path", "query", "header", "cookie"]


@dataclass(frozen=True, slots=True)
class Param:
    wire: str
    name: Ident
    location: ParamLocation
    type: TypeRef
    required: bool
    doc: str = ""
    style: str = ""  # "form" | "deepObject" | "pipeDelimited" | "spaceDelimited" | "simple" | ...
    explode: bool = True
    deprecated: bool = False
    default: Any = None
    has_default: bool = False
    allow_reserved: bool = False  # query only: RFC 3986 reserved characters sent as they are
    content_type: str = ""  # a parameter declared with ``content``: its media type


BodyKind = Literal["json", "form", "multipart", "binary", "text"]


@dataclass(frozen=True, slots=True)
class Body:
    kind: BodyKind
    content_type: str
    required: bool
    # Either the object's properties, flattened into keyword arguments...
    fields: tuple[Field, ...] = ()
    # ...or the whole body as one ``body`` argument of this type.
    type: TypeRef | None = None
    name: Ident | None = None
    doc: str = ""
    # OpenAPI 3.2 ``itemSchema``: the type of each item of a sequential media type (JSON Lines,
    # JSON text sequences, multipart/mixed...), for code that sends items one by one.
    item_type: TypeRef | None = None
    # The ``encoding`` object of a form or multipart body: (property, style or "" when the
    # spec sets none of style/explode/allowReserved, explode, allowReserved, contentType or "").
    encoding: tuple[tuple[str, str, bool, bool, str], ...] = ()


ResponseKind = Literal["json", "text", "binary", "empty"]


@dataclass(frozen=True, slots=True)
class EventStream:
    """A ``text/event-stream`` success response: the method yields ``type`` per event.

    ``envelope``: ``type`` describes the whole event (``event``/``data``/``id``/``retry``),
    else the decoded ``data``; ``json_data``: ``data`` is JSON; ``sentinel``: the data that
    ends the stream; ``names``: the event names the spec declares; ``condition``: the wire name
    of the boolean request-body field that asks for the stream when the operation answers
    JSON otherwise (the method is then overloaded on it), None when it always streams.
    """

    type: TypeRef
    envelope: bool = False
    json_data: bool = True
    sentinel: str | None = "[DONE]"
    names: tuple[str, ...] = ()
    text_names: tuple[str, ...] = ()  # named events whose data is text while others carry JSON
    condition: str | None = None


@dataclass(frozen=True, slots=True)
class Response:
    status: str  # "200", "2XX", "default"
    kind: ResponseKind
    type: TypeRef | None
    content_type: str = ""
    doc: str = ""
    also: tuple[str, ...] = ()  # other success statuses whose bodies ``type`` covers too
    # OpenAPI 3.2 ``itemSchema``: the type of each item of a sequential media type
    # (``text/event-stream`` events, JSON Lines, JSON text sequences, multipart/mixed parts),
    # for code that streams items; ``type`` and ``kind`` still describe the body read whole.
    item_type: TypeRef | None = None
    events: EventStream | None = None  # a server-sent event stream (see ``EventStream``)
    # Every media type of this response (and, on an operation's success response, of the
    # other success responses ``type`` covers) that the SDK reads as ``kind``: the ``Accept``.
    media_types: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Pagination:
    """Cursor pagination inferred from the spec (or from configured names).

    The operation's query parameter ``cursor`` takes the cursor; the response model holds
    the page's items in the attribute ``items`` and the next cursor at the attribute path
    ``next_cursor`` (Python names, e.g. ``("pagination", "next_page_token")``).
    """

    cursor: Param
    items: Ident
    items_wire: str
    item_type: TypeRef
    next_cursor: tuple[Ident, ...]
    next_cursor_wire: tuple[str, ...]
    limit: Param | None = None


@dataclass(frozen=True, slots=True)
class ServerVariable:
    name: str
    default: str | None  # None: the spec gives none, the client must set it
    enum: tuple[str, ...] = ()
    doc: str = ""


@dataclass(frozen=True, slots=True)
class Server:
    """A server URL template (``https://{region}.api.example.com/v1``) and its variables."""

    url: str
    variables: tuple[ServerVariable, ...] = ()
    doc: str = ""
    location: str = ""  # "file#pointer" of the server object


@dataclass(frozen=True, slots=True)
class Operation:
    key: str  # "get /api/models/{id}"
    operation_id: str
    name: Ident
    method: str  # lower-case HTTP method; an OpenAPI 3.2 additional operation's as written
    path: str
    summary: str
    doc: str
    path_params: tuple[Param, ...]
    params: tuple[Param, ...]  # query, header and cookie parameters, keyword-only
    body: Body | None
    response: Response
    errors: tuple[Response, ...]
    security: tuple[tuple[str, ...], ...]  # alternatives; each a set of scheme keys; () = none
    idempotency_header: str | None
    version_header: bool
    deprecated: bool
    pagination: Pagination | None
    location: str
    # The URL path template (``path`` is the spec's path key, which may carry a query or a
    # fragment), the fixed query parameters of that key, and the operation's or path
    # item's own server (None: the client's).
    url_path: str = ""
    fixed_query: tuple[tuple[str, str], ...] = ()
    server: Server | None = None


@dataclass(frozen=True, slots=True)
class Resource:
    key: str  # dotted tag path, e.g. "bulk_sync.executions"
    attr: Ident  # attribute name on the parent (client or resource)
    class_name: Ident  # e.g. BulkSyncExecutions (prefixed with Async/suffixed in templates)
    module: Ident  # module path segment
    doc: str
    operations: tuple[Operation, ...]
    children: tuple[Resource, ...]


SecurityKind = Literal["bearer", "basic", "api_key", "oauth2_client_credentials"]


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    key: str  # the scheme's name in components.securitySchemes
    kind: SecurityKind
    # client argument names (``api_key``; ``username``, ``password``; ``client_id``, ``client_secret``)
    names: tuple[Ident, ...]
    wire: str = ""  # header / query / cookie name for api keys
    location: str = "header"  # for api keys
    env: tuple[str, ...] = ()  # environment variables that supply the defaults, per name
    doc: str = ""
    token_url: str = ""  # OAuth2 client credentials: where the token comes from...
    scopes: tuple[str, ...] = ()  # ...with these scopes


@dataclass(frozen=True, slots=True)
class Api:
    title: str
    description: str
    api_version: str
    base_url: str
    version_header: str | None
    security_schemes: tuple[SecurityScheme, ...]
    resources: tuple[Resource, ...]
    decls: tuple[Decl, ...]  # in module order (dependencies first)
    groups: tuple[tuple[str, ...], ...]  # keys defined together in one module (recursive groups)
    server: Server | None = None  # the first root server
    # every server variable (root, path and operation servers) by name, with its allowed values
    server_variables: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def all_operations(self) -> list[Operation]:
        out: list[Operation] = []
        stack = list(reversed(self.resources))
        while stack:
            res = stack.pop()
            out.extend(res.operations)
            stack.extend(reversed(res.children))
        return out
