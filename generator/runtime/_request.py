"""One request's parts: what the spec says about an operation (``Endpoint``), and the path,
headers and body built from a call's arguments (``Prepared``).
"""

from __future__ import annotations

import os
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple, Union

import httpx

from ._files import raw_content, upload_fields
from ._forms import form_body, multipart_body
from ._serde import to_jsonable
from ._serialize import ParamSpec
from ._servers import Server
from ._types import Body, NotGiven

__all__ = ["Endpoint"]  # what generated modules import; the rest serves _base_client

_IDEMPOTENT_METHODS = frozenset({"get", "head", "options", "put", "delete", "trace", "query"})

ErrorTypes = Union[Mapping[str, Any], Callable[[], Mapping[str, Any]]]
Checked = Tuple[str, Optional[str], str]  # (where, wire name or None for a whole body, argument)


class Endpoint:
    """What the spec says about one operation; generated once per operation.

    ``errors`` maps a status (``"404"``, ``"4XX"``, ``"default"``) to the type of the error
    body.  Generated code passes a function that returns the mapping, so that error models
    are imported when an error arrives, not with the resource.
    """

    __slots__ = (
        "method",
        "path",
        "security",
        "idempotency_header",
        "specs",
        "_errors",
        "body",
        "content_type",
        "encoding",
        "accept",
        "response",
        "verb",
        "idempotent",
        "events",
        "fixed_query",
        "server",
        "checks",
        "_checked",
    )

    def __init__(
        self,
        method: str,
        path: str,
        security: Tuple[Tuple[str, ...], ...] = (),
        idempotency_header: Optional[str] = None,
        params: Tuple[Tuple[str, str, str, bool, bool, str], ...] = (),
        errors: Optional[ErrorTypes] = None,
        body: str = "json",  # json | form | multipart | binary | text
        content_type: str = "application/json",
        encoding: Tuple[Tuple[str, str, bool, bool, str], ...] = (),
        accept: str = "application/json",
        response: str = "json",  # json | text | binary | empty
        events: Any = None,  # _streaming.Events: the operation answers server-sent events
        fixed_query: Tuple[Tuple[str, str], ...] = (),  # from a path key such as /items?beta=true
        server: Optional[Server] = None,  # the operation's own server (None: the client's)
        # the types of the arguments the spec constrains, by (where, wire name, argument):
        # see _constraints.check_arguments
        checks: Optional[Callable[[], Mapping[Checked, Any]]] = None,
    ) -> None:
        self.method = method
        self.path = path
        self.security = security
        self.idempotency_header = idempotency_header
        # (location, name, style, explode, allowReserved, content type) of the parameters
        # not sent as their location's default (see _serialize)
        self.specs: Dict[Tuple[str, str], ParamSpec] = {(p[0], p[1]): p[2:] for p in params}
        self._errors: ErrorTypes = errors or {}
        self.body = body
        self.content_type = content_type
        # (property, style, explode, allowReserved, content type) of a form or multipart body
        self.encoding: Dict[str, Tuple[str, bool, bool, str]] = {e[0]: e[1:] for e in encoding}
        self.accept = accept
        self.response = response
        self.verb = method.upper()
        self.idempotent = method in _IDEMPOTENT_METHODS
        self.events = events
        self.fixed_query = fixed_query
        self.server = server
        self.checks = checks
        self._checked: Optional[Mapping[Checked, Any]] = None

    def checked(self) -> Mapping[Checked, Any]:
        """The constrained arguments' types (``checks``), built on the first call that needs them."""
        if self._checked is None:
            self._checked = self.checks() if self.checks is not None else {}
        return self._checked

    @property
    def errors(self) -> Mapping[str, Any]:
        errors = self._errors
        return errors() if callable(errors) else errors

    def error_type(self, status: int) -> Any:
        """The type of the error body for a status: exact, then ``4XX``, then ``default``."""
        errors = self.errors
        code = str(status)
        return errors.get(code) or errors.get(code[0] + "XX") or errors.get("default")

    def __repr__(self) -> str:
        return f"Endpoint({self.method!r}, {self.path!r})"


class Prepared:
    """A call's request, built once and sent by every attempt."""

    __slots__ = (
        "endpoint",
        "url",
        "params",
        "headers",
        "content",
        "timeout",
        "max_retries",
        "raw",
        "streamed",
    )

    def __init__(
        self,
        endpoint: Endpoint,
        url: str,
        params: List[str],
        headers: Dict[str, str],
        content: Dict[str, Any],
        timeout: httpx.Timeout,
        max_retries: int,
        raw: bool,
    ) -> None:
        self.endpoint = endpoint
        self.url = url
        self.params = params
        self.headers = headers
        self.content = content
        self.timeout = timeout
        self.max_retries = max_retries
        self.raw = raw
        self.streamed = False  # the body is read by the caller (events, streamed responses)


def find_header(headers: Mapping[str, object], name: str) -> Optional[str]:
    """The key under which ``name`` is set, compared without case as HTTP does."""
    lower = name.lower()
    for key in headers:
        if key.lower() == lower:
            return key
    return None


def pop_header(headers: Dict[str, str], name: str) -> Optional[str]:
    key = find_header(headers, name)
    return None if key is None else headers.pop(key)


def merge_headers(headers: Dict[str, str], changes: Mapping[str, object]) -> None:
    """Set or (for ``None``) remove headers, replacing any spelling of the same name: a
    per-request ``x-polytomic-version`` replaces the default ``X-Polytomic-Version`` instead
    of being sent beside it."""
    for name, value in changes.items():
        pop_header(headers, name)
        if value is not None:
            headers[name] = str(value)


def random_uuid() -> str:
    """A random (version 4) UUID as text, as ``str(uuid.uuid4())`` gives it, without loading
    the ``uuid`` module."""
    data = bytearray(os.urandom(16))
    data[6] = (data[6] & 0x0F) | 0x40
    data[8] = (data[8] & 0x3F) | 0x80
    h = data.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def content(endpoint: Endpoint, body: object, extra_body: Optional[Body]) -> Dict[str, Any]:
    """The body arguments of httpx (``json=``, ``files=``, ``content=``)."""
    if isinstance(body, NotGiven) and not extra_body:
        return {}
    kind = endpoint.body
    if kind == "json" and type(body) is dict and not extra_body:
        return {"json": to_jsonable(body)}  # the common case; to_jsonable drops NOT_GIVEN values
    if kind in ("binary", "text"):
        return {"content": raw_content(body)}  # a path or an open file is streamed
    if isinstance(body, Mapping):
        fields: Any = {k: v for k, v in body.items() if not isinstance(v, NotGiven)}
    else:
        fields = body
    if extra_body:
        fields = {**(fields if isinstance(fields, Mapping) else {}), **extra_body}
    if kind in ("form", "multipart") and not isinstance(fields, Mapping):
        fields = to_jsonable(fields)  # a model passed whole: its fields by wire name
    if kind == "form":
        return {"content": form_body(fields, endpoint.encoding)}
    if kind == "multipart":
        uploads = upload_fields(fields, endpoint.encoding)  # paths opened lazily, types guessed
        return {"files": multipart_body(uploads, endpoint.encoding)}
    return {"json": to_jsonable(fields)}
