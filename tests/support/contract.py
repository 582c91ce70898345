"""A spec-driven test server for any OpenAPI document (3.0 or 3.1), built on openapi-core.

    server = ContractServer(Path("spec/.../openapi.yaml"))
    client = Sdk(http_client=httpx.Client(transport=server.transport()))   # in-process
    with server.serve() as base_url:                                      # a real socket
        client = Sdk(base_url=base_url)
    ...
    server.assert_clean()

Every request is validated against the document by openapi-core (path and method, path, query,
header and cookie parameters, security, body).  A request that fails is answered with a 4xx whose
body is the validation error text, and the problem is recorded: ``assert_clean()`` raises with
all of them.  A valid request is answered with a body synthesized from the schema of the
operation's first 2xx response (``tests.support.synth``; empty for a response without content,
e.g. 204), and that answer is itself validated by openapi-core before it is sent; an invalid
answer is recorded too and sent as a 500 that asks the client not to retry.

Faults are scripted with ``server.script(Fault(...), ...)``: each request that reaches the server
takes the next fault, in order (a scripted status and body, ``Retry-After`` headers, a dropped
connection, a truncated body, a delay past the client's timeout).  Requests carrying the
idempotency header go through a ledger: the first is applied, a repeat with the same key gets
the stored answer back without being applied again; ``server.applied`` lists what was applied.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
from jsonschema_path import SchemaPath
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.paths.exceptions import PathError
from openapi_core.templating.paths.finders import APICallPathFinder
from openapi_core.validation.request.exceptions import MissingRequiredParameter
from openapi_core.validation.schemas import oas30_write_schema_validators_factory, oas31_schema_validators_factory
from werkzeug.datastructures import Headers, ImmutableMultiDict

from tests.support.sockets import serve_http
from tests.support.strict import accept_problems, adapt_parameters, repeated_query_problems, strict_casters
from tests.support.synth import Synth

__all__ = ["Answer", "ContractServer", "Fault", "Seen"]

RETRY_HINT = "x-should-retry"  # the SDK runtime honours it: a contract violation is never retried


@dataclass
class Fault:
    """One scripted answer, taken by the next request that reaches the server.

    ``Fault()`` is the contract's own answer; ``Fault(delay=...)`` or ``Fault(headers=...)``
    change only its timing or headers; a ``status``, ``drop`` or ``truncate`` replaces it.
    """

    status: int | None = None  # answer with this status (its declared body is synthesized)
    headers: Mapping[str, str] = field(default_factory=dict)  # added to the answer
    body: Any = None  # JSON body to send instead of the synthesized one
    drop: bool = False  # close the connection without answering
    truncate: bool = False  # send the headers and half of the body, then close
    delay: float = 0.0  # wait this long before answering (past the client timeout: a timeout)
    apply: bool = False  # apply the operation (and store it in the ledger) before failing
    validate: bool = True  # validate a scripted answer whose status the operation declares
    raw: bytes | None = None  # send exactly these bytes as the body (b"": none), unvalidated


@dataclass
class Answer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    drop: bool = False
    truncate: bool = False
    delay: float = 0.0


@dataclass
class Seen:
    """One request as it reached the server, and what became of it."""

    method: str
    target: str  # raw path and query string
    headers: httpx.Headers
    body: bytes
    operation: str = ""  # operationId, else "METHOD /path/template"
    status: int = 0
    problems: list[str] = field(default_factory=list)
    replayed: bool = False  # answered from the idempotency ledger
    response: Any = None  # the JSON body of the answer, if any
    unmarshalled: Any = None  # strict mode: openapi-core's RequestUnmarshalResult (parameters, body)

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class ContractServer:
    def __init__(
        self,
        spec: Path,
        *,
        idempotency_header: str = "Idempotency-Key",
        respond: Callable[[Seen, Any], Any] | None = None,
        strict: bool = False,
    ) -> None:
        self.strict = strict  # validate requests as a strict third-party mock would (tests/support/strict.py)
        self.app = _openapi(Path(spec).resolve(), strict)
        self.server_url = _server_url(self.app.spec)
        self.idempotency_header = idempotency_header
        self.respond = respond  # hook: (request, synthesized body) -> body to send
        self.seen: list[Seen] = []
        self.applied: list[Seen] = []
        self.problems: list[str] = []
        self.ledger: dict[str, tuple[tuple[str, str, bytes], Answer]] = {}
        self._script: deque[Fault] = deque()
        self._lock = threading.Lock()
        self._finder = APICallPathFinder(self.app.spec)

    # -- the test's side --------------------------------------------------------------------

    def script(self, *faults: Fault) -> None:
        self._script.extend(faults)

    @property
    def pending(self) -> int:
        """How many scripted faults no request has taken yet."""
        return len(self._script)

    def reset(self) -> None:
        """Forget the requests, the ledger, the problems and any unused fault, so a second client
        starts afresh on the same running server (side-by-side runs of two SDKs)."""
        with self._lock:
            self.seen.clear()
            self.applied.clear()
            self.problems.clear()
            self.ledger.clear()
            self._script.clear()

    def assert_clean(self) -> None:
        assert not self.problems, "contract violations:\n" + "\n".join(self.problems)
        assert not self._script, f"{len(self._script)} scripted fault(s) never used"

    def sample(self, operation: str, status: str = "2xx") -> Any:
        """The JSON body the server would answer ``operation`` with (``status``: first 2xx, or a code)."""
        op = self._operation(operation)
        response = _response(op, status)
        return _synthesize(response) if response is not None else None

    # -- the transports ---------------------------------------------------------------------

    def transport(self) -> httpx.MockTransport:
        """In-process transport for ``httpx.Client`` and ``httpx.AsyncClient``."""
        return httpx.MockTransport(self._mock)

    @contextlib.contextmanager
    def serve(self) -> Iterator[str]:
        """A real HTTP/1.1 server on 127.0.0.1; yields the base URL the client should use."""
        with serve_http(self.handle) as root:
            yield root + urlsplit(self.server_url).path.rstrip("/")

    def _mock(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        answer = self.handle(request.method, request.url.raw_path.decode("ascii"), request.headers, body)
        read_timeout = (request.extensions.get("timeout") or {}).get("read")
        if answer.delay and read_timeout is not None and answer.delay > read_timeout:
            raise httpx.ReadTimeout("scripted delay past the read timeout", request=request)
        if answer.delay:
            time.sleep(answer.delay)
        if answer.drop:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        if answer.truncate:
            raise httpx.RemoteProtocolError("peer closed connection without sending complete message body")
        return httpx.Response(answer.status, headers=answer.headers, content=answer.body)

    # -- one request ------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: httpx.Headers, body: bytes) -> Answer:
        seen = Seen(method.upper(), target, headers, body)
        with self._lock:
            self.seen.append(seen)
            fault = self._script.popleft() if self._script else None
            answer = self._answer(seen, fault)
            seen.status = answer.status
            if answer.body and "json" in answer.headers.get("Content-Type", ""):
                with contextlib.suppress(ValueError):  # a scripted raw body may be broken JSON
                    seen.response = json.loads(answer.body)
            self.problems.extend(f"{seen.method} {seen.target}: {p}" for p in seen.problems)
        return answer

    def _answer(self, seen: Seen, fault: Fault | None) -> Answer:
        request = _CoreRequest(self.server_url, seen)
        try:
            found = self._finder.find(request.method, request.host_url + request.path)
        except PathError as exc:
            seen.problems.append(f"request: {exc}")
            return _text(404, f"no operation in the document: {exc}")
        operation = found.operation
        seen.operation = operation.get("operationId") or f"{seen.method} {found.path_result.template}"
        adapt_parameters(request, found.path, operation, found.path_result.variables)
        seen.problems.extend(self._request_problems(request, found.path, operation))
        if self.strict:
            seen.problems.extend(repeated_query_problems(request, found.path, operation))
            not_acceptable = accept_problems(seen.headers.get("accept"), _response(operation, "2xx"))
            if not_acceptable and not seen.problems:
                seen.problems.extend(not_acceptable)
                return _text(406, "\n".join(not_acceptable))
            seen.problems.extend(not_acceptable)
            if not seen.problems:
                seen.unmarshalled = self.app.unmarshal_request(request)
        if seen.problems:
            return _text(400, "request does not match the document:\n" + "\n".join(seen.problems))
        if fault is not None and not fault.apply and (fault.status or fault.drop or fault.truncate):
            return self._scripted(seen, request, operation, fault)
        key = seen.headers.get(self.idempotency_header)
        fingerprint = (seen.method, seen.target, seen.body)
        if key is not None and key in self.ledger:
            stored_fingerprint, stored = self.ledger[key]
            if stored_fingerprint != fingerprint:
                seen.problems.append(f"{self.idempotency_header} {key!r} reused for a different request")
                return _text(422, "idempotency key reused for a different request")
            seen.replayed = True
            answer = _copy(stored, headers={"Idempotent-Replayed": "true"})
        else:
            self.applied.append(seen)
            answer = self._contract_answer(seen, request, operation)
            if key is not None and answer.status < 500:
                self.ledger[key] = (fingerprint, answer)
        if fault is not None and fault.apply:
            return self._scripted(seen, request, operation, fault)
        if fault is not None:  # a delay and extra headers on the contract's own answer
            answer = _copy(answer, headers=fault.headers, delay=fault.delay)
        return answer

    def _contract_answer(self, seen: Seen, request: _CoreRequest, operation: SchemaPath) -> Answer:
        response = _response(operation, "2xx")
        if response is None:
            seen.problems.append("the operation declares no 2xx response")
            return _text(500, "no 2xx response in the document")
        status = int(response.parts[-1]) if str(response.parts[-1]).isdigit() else 200
        payload = _synthesize(response)
        if self.respond is not None:
            payload = self.respond(seen, payload)
        answer = _answer_of(status, response, payload)
        problems = self._response_problems(request, answer)
        if problems:
            seen.problems.extend(problems)
            return _text(500, "response does not match the document:\n" + "\n".join(problems))
        return answer

    def _scripted(self, seen: Seen, request: _CoreRequest, operation: SchemaPath, fault: Fault) -> Answer:
        status = fault.status or 200
        declared = _response(operation, str(status), exact=True)
        payload = fault.body if fault.body is not None else (_synthesize(declared) if declared else None)
        answer = _answer_of(status, declared, payload)
        if fault.raw is not None:
            answer = Answer(status, {"Content-Type": "application/json"} if fault.raw else {}, fault.raw)
        answer.headers.update(fault.headers)
        if fault.validate and declared is not None and fault.raw is None:
            seen.problems.extend(self._response_problems(request, answer))
        return _copy(answer, drop=fault.drop, truncate=fault.truncate, delay=fault.delay)

    # -- validation ---------------------------------------------------------------------------

    def _request_problems(self, request: _CoreRequest, path_item: SchemaPath, operation: SchemaPath) -> list[str]:
        problems: list[str] = []
        by_hand = _deep_object_maps(path_item, operation)
        if by_hand:
            problems.extend(self._validate_deep_object_maps(request, by_hand))
        for exc in self.app.iter_request_errors(request):
            if isinstance(exc, MissingRequiredParameter) and exc.name in by_hand:
                continue  # presence is checked by hand, with the values
            problems.append("request: " + _describe(exc))
        # openapi-core reads a repeated header as one comma-joined value; a header the document
        # declares once (or a credential, or the body's type) must be sent once.
        params = [p for node in (path_item, operation) if "parameters" in node for p in node / "parameters"]
        singles = {str(p.get("name")).lower() for p in params if p.get("in") == "header"}
        for name in sorted(singles | {"authorization", "content-type"}):
            count = len(request.headers.get_list(name))
            if count > 1:
                problems.append(f"request: header {name!r} sent {count} times")
        return problems

    def _validate_deep_object_maps(self, request: _CoreRequest, params: dict[str, SchemaPath]) -> list[str]:
        """Workaround, narrowly scoped: openapi-core 0.23 reads a ``style: deepObject`` query
        parameter whose values are arrays (``params[key]=a&params[key]=b``, a map of string lists)
        as a map of single strings, and then rejects every value as "not of type 'array'".  Only
        for such parameters (found in the document, not named here), the server takes the
        ``name[...]`` pairs out of the query openapi-core sees, rebuilds the map, and validates it
        with openapi-core's own schema validator against the parameter's schema; every other
        parameter, and the rest of the request, is validated by openapi-core as usual.
        """
        problems: list[str] = []
        kept: list[tuple[str, str]] = []
        values: dict[str, dict[str, list[str]]] = {name: {} for name in params}
        for key, value in request.query_pairs:
            name = key.split("[", 1)[0]
            if name not in params:
                kept.append((key, value))
                continue
            match = re.fullmatch(re.escape(name) + r"\[([^\[\]]+)\]", key)
            if match is None:
                problems.append(f"request: query parameter {name!r}: {key!r} is not a deepObject key")
                continue
            values[name].setdefault(match.group(1), []).append(value)
        request.parameters.query = ImmutableMultiDict(kept)
        for name, param in params.items():
            if not values[name]:
                if param.get("required"):
                    problems.append(f"request: missing required query parameter {name!r}")
                continue
            factory = (
                oas30_write_schema_validators_factory
                if self.app.version.minor == "0"
                else oas31_schema_validators_factory
            )
            try:
                factory.create(self.app.spec, param / "schema").validate(values[name])
            except Exception as exc:  # noqa: BLE001 - any validation failure is reported
                problems.append(f"request: query parameter {name!r} (validated by hand): " + _describe(exc))
        return problems

    def _response_problems(self, request: _CoreRequest, answer: Answer) -> list[str]:
        response = _CoreResponse(answer)
        return ["response: " + _describe(exc) for exc in self.app.iter_response_errors(request, response)]

    def _operation(self, operation_id: str) -> SchemaPath:
        for _, item in (self.app.spec / "paths").str_items():
            for method, op in item.str_items():
                if method in _METHODS and op.get("operationId") == operation_id:
                    return op
        raise KeyError(operation_id)


# -- openapi-core adapters ----------------------------------------------------------------------


class _CoreRequest:
    """A request as openapi-core reads it, on the document's own server URL."""

    def __init__(self, server_url: str, seen: Seen) -> None:
        parts = urlsplit(server_url)
        target = urlsplit(seen.target)
        self.host_url = f"{parts.scheme}://{parts.netloc}"
        self.path = target.path
        self.method = seen.method.lower()
        self.body: bytes | None = seen.body or None
        self.content_type = seen.headers.get("content-type", "")
        self.headers = seen.headers
        self.query_pairs = parse_qsl(target.query, keep_blank_values=True)
        cookies = SimpleCookie(seen.headers.get("cookie", ""))
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(self.query_pairs),
            header=Headers(list(seen.headers.items())),
            cookie=ImmutableMultiDict({k: v.value for k, v in cookies.items()}),
        )


class _CoreResponse:
    def __init__(self, answer: Answer) -> None:
        self.status_code = answer.status
        self.headers = Headers(list(answer.headers.items()))
        self.content_type = answer.headers.get("Content-Type", "")
        self.data: bytes | None = answer.body


# -- helpers --------------------------------------------------------------------------------------

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@cache
def _openapi(path: Path, strict: bool = False) -> OpenAPI:
    # The document itself is not validated again here (openapi-spec-validator takes seconds on
    # Polytomic's): sdkgen's loader validates every document it generates from, and
    # tests/test_polytomic_spec.py validates the checked-in ones.
    if strict:
        casters = strict_casters(_openapi(path).version.minor)
        return OpenAPI.from_file_path(
            str(path), config=Config(spec_validator_cls=None, schema_casters_factory=casters)
        )
    return OpenAPI.from_file_path(str(path), config=Config(spec_validator_cls=None))


def _server_url(spec: SchemaPath) -> str:
    servers = list(spec / "servers") if "servers" in spec else []
    if not servers:
        return "http://localhost"
    url = str(servers[0].get("url"))
    for name, var in (servers[0] / "variables").str_items() if "variables" in servers[0] else ():
        url = url.replace("{" + name + "}", str(var.get("default")))
    return url if "://" in url else "http://localhost" + url


def _response(operation: SchemaPath, status: str, *, exact: bool = False) -> SchemaPath | None:
    """The declared response for ``status`` ("2xx": the first success; else a code, falling
    back to ``NXX`` and ``default`` unless ``exact``)."""
    responses = operation / "responses"
    codes = responses.str_keys()
    if status == "2xx":
        code = next((c for c in codes if c.startswith("2")), None)
        return responses / code if code else None
    for candidate in (status, status[0] + "XX") if exact else (status, status[0] + "XX", "default"):
        if candidate in codes:
            return responses / candidate
    return None


def _synthesize(response: SchemaPath) -> Any:
    if "content" not in response:
        return None
    for content_type, media in (response / "content").str_items():
        if "schema" in media and "json" in content_type:
            return Synth("response").value(media / "schema")
        if content_type.startswith("text/"):
            return "sample"
        if "schema" not in media or (media / "schema").get("format") == "binary":
            return b"\x89sample"  # any other media type: some bytes
    return None


def _answer_of(status: int, response: SchemaPath | None, payload: Any) -> Answer:
    if payload is None or status == 204:
        return Answer(status)
    content_types = (response / "content").str_keys() if response is not None and "content" in response else []
    content_type = next(
        (c for c in content_types if "json" in c), content_types[0] if content_types else "application/json"
    )
    if "json" in content_type:
        return Answer(status, {"Content-Type": content_type}, json.dumps(payload).encode())
    data = payload if isinstance(payload, bytes) else str(payload).encode()
    return Answer(status, {"Content-Type": content_type}, data)


def _text(status: int, message: str) -> Answer:
    return Answer(status, {"Content-Type": "text/plain; charset=utf-8", RETRY_HINT: "false"}, message.encode())


def _copy(answer: Answer, *, headers: Mapping[str, str] | None = None, **changes: Any) -> Answer:
    fields = {**answer.__dict__, "headers": {**answer.headers, **(headers or {})}, **changes}
    return Answer(**fields)


def _deep_object_maps(path_item: SchemaPath, operation: SchemaPath) -> dict[str, SchemaPath]:
    """Query parameters openapi-core cannot read: deepObject maps whose values are arrays."""
    found: dict[str, SchemaPath] = {}
    params = [p for node in (path_item, operation) if "parameters" in node for p in node / "parameters"]
    for param in params:
        if param.get("in") != "query" or param.get("style") != "deepObject" or "schema" not in param:
            continue
        schema = param / "schema"
        extra = schema / "additionalProperties" if "additionalProperties" in schema else None
        if extra is not None and isinstance(extra.read_value(), dict) and extra.get("type") == "array":
            found[str(param.get("name"))] = param
    return found


def _describe(exc: BaseException) -> str:
    """An openapi-core error with its causes and every JSON Schema error, located."""
    parts = [f"{type(exc).__name__}: {exc}"]
    cause: BaseException | None = exc.__cause__
    while cause is not None:
        try:
            parts.append(f"{type(cause).__name__}: {cause}")
        except Exception:  # noqa: BLE001 - openapi-core 0.23 cannot print some of its own errors
            parts.append(f"{type(cause).__name__}: {cause.args!r}")
        for error in getattr(cause, "schema_errors", ()) or ():
            where = "/".join(str(p) for p in error.absolute_path) or "<root>"
            parts.append(f"  at {where}: {error.message}")
        cause = cause.__cause__
    for error in getattr(exc, "schema_errors", ()) or ():
        where = "/".join(str(p) for p in error.absolute_path) or "<root>"
        parts.append(f"  at {where}: {error.message}")
    return "\n".join(parts)
