"""The HTTP machinery behind every generated client: request building, auth, API-version
pinning, retries, error mapping and response parsing.  Sync and async share everything
but the send loop.
"""

from __future__ import annotations

import contextlib
import copy
import email.utils
import json
import logging
import platform
import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple, TypeVar, Union
from urllib.parse import quote

import anyio
import httpx
import pydantic

from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    make_status_error,
)
from ._models import to_jsonable, validate_as
from ._qs import encode_query
from ._resource import AsyncResource, SyncResource
from ._response import RAW_RESPONSE_HEADER, APIResponse, AsyncAPIResponse
from ._types import NOT_GIVEN, Body, Headers, NotGiven, Query, Timeout, strip_not_given

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "ApiKeyAuth",
    "AsyncAPIClient",
    "Auth",
    "BasicAuth",
    "BearerAuth",
    "Endpoint",
    "SyncAPIClient",
]

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
RETRY_COUNT_HEADER = "X-Retry-Count"
_ClientT = TypeVar("_ClientT", bound="BaseClient")
_IDEMPOTENT_METHODS = frozenset({"get", "head", "options", "put", "delete", "trace"})
_SENSITIVE = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"}
)


# -- auth -------------------------------------------------------------------------------------


class Auth:
    """Credentials for one security scheme; ``apply`` says whether it had any to add."""

    def apply(self, headers: Dict[str, str], params: List[Tuple[str, str]]) -> bool:
        raise NotImplementedError

    def secrets(self) -> List[str]:
        return []

    def __repr__(self) -> str:
        return f"{type(self).__name__}(<redacted>)"


class BearerAuth(Auth):
    def __init__(self, token: Union[str, Callable[[], str], None]) -> None:
        self._token = token

    def _value(self) -> Optional[str]:
        return self._token() if callable(self._token) else self._token

    def apply(self, headers: Dict[str, str], params: List[Tuple[str, str]]) -> bool:
        value = self._value()
        if not value:
            return False
        headers["Authorization"] = f"Bearer {value}"
        return True

    def secrets(self) -> List[str]:
        value = self._token if isinstance(self._token, str) else None
        return [value] if value else []


class BasicAuth(Auth):
    def __init__(self, username: Optional[str], password: Optional[str]) -> None:
        self._username = username
        self._password = password

    def apply(self, headers: Dict[str, str], params: List[Tuple[str, str]]) -> bool:
        if self._username is None and self._password is None:
            return False
        auth = httpx.BasicAuth(self._username or "", self._password or "")
        headers["Authorization"] = auth._auth_header  # noqa: SLF001 - httpx builds the header
        return True

    def secrets(self) -> List[str]:
        # The username is a secret too: Polytomic's on-premises deployment key goes there.
        return [s for s in (self._username, self._password) if s]


class ApiKeyAuth(Auth):
    def __init__(
        self, name: str, location: str, value: Union[str, Callable[[], str], None]
    ) -> None:
        self._name = name
        self._location = location
        self._raw = value

    def apply(self, headers: Dict[str, str], params: List[Tuple[str, str]]) -> bool:
        value = self._raw() if callable(self._raw) else self._raw
        if not value:
            return False
        if self._location == "query":
            params.append((self._name, value))
        elif self._location == "cookie":
            headers["Cookie"] = f"{self._name}={value}"
        else:
            headers[self._name] = value
        return True

    def secrets(self) -> List[str]:
        return [self._raw] if isinstance(self._raw, str) and self._raw else []


# -- per-operation facts ----------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    """What the spec says about one operation; generated once per operation."""

    method: str
    path: str
    security: Tuple[Tuple[str, ...], ...] = ()
    idempotency_header: Optional[str] = None
    query_styles: Mapping[str, Tuple[str, bool]] = field(default_factory=dict)
    errors: Mapping[str, Any] = field(default_factory=dict)
    body: str = "json"  # json | form | multipart | binary | text
    content_type: str = "application/json"
    response: str = "json"  # json | text | binary | empty


@dataclass
class _Prepared:
    endpoint: Endpoint
    url: str
    params: List[Tuple[str, str]]
    headers: Dict[str, str]
    content: Dict[str, Any]
    timeout: Union[float, httpx.Timeout, None]
    max_retries: int
    raw: bool


class BaseClient:
    _version: str = "0.0.0"
    _package: str = "sdk"

    def __init__(
        self,
        *,
        base_url: str,
        auth: Mapping[str, Auth],
        version_header: Optional[Tuple[str, Optional[str]]],
        timeout: Timeout,
        max_retries: int,
        default_headers: Optional[Mapping[str, str]],
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._auth = dict(auth)
        self._version_header = version_header
        self.timeout = timeout
        self.max_retries = max_retries
        self._default_headers = dict(default_headers or {})
        self._log = logging.getLogger(self._package)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    @property
    def api_version(self) -> Optional[str]:
        """The API version sent in the version header (None: the server's default)."""
        return self._version_header[1] if self._version_header else None

    def with_options(
        self: _ClientT,
        *,
        api_version: Union[str, None, NotGiven] = NOT_GIVEN,
        base_url: Optional[str] = None,
        timeout: Union[Timeout, NotGiven] = NOT_GIVEN,
        max_retries: Union[int, NotGiven] = NOT_GIVEN,
        default_headers: Optional[Mapping[str, str]] = None,
    ) -> _ClientT:
        """A copy of this client with some options changed; it shares the HTTP connection
        pool and the credentials.  ``api_version=None`` sends no version header."""
        clone = copy.copy(self)
        clone.__dict__ = {
            k: v
            for k, v in self.__dict__.items()
            if not isinstance(v, (SyncResource, AsyncResource))
        }
        if not isinstance(api_version, NotGiven) and self._version_header is not None:
            clone._version_header = (self._version_header[0], api_version)
        if base_url is not None:
            clone.base_url = base_url.rstrip("/")
        if not isinstance(timeout, NotGiven):
            clone.timeout = timeout
        if not isinstance(max_retries, NotGiven):
            clone.max_retries = max_retries
        if default_headers is not None:
            clone._default_headers = {**self._default_headers, **default_headers}
        return clone

    # -- building ------------------------------------------------------------------------

    def _prepare(
        self,
        endpoint: Endpoint,
        *,
        path_params: Optional[Mapping[str, object]],
        query: Optional[Query],
        headers: Optional[Headers],
        cookies: Optional[Headers],
        body: object,
        extra_headers: Optional[Headers],
        extra_query: Optional[Query],
        extra_body: Optional[Body],
        timeout: Union[Timeout, NotGiven],
        max_retries: Union[int, NotGiven],
    ) -> _Prepared:
        params = encode_query({**(query or {}), **(extra_query or {})}, endpoint.query_styles)
        merged: Dict[str, str] = {
            "Accept": "application/json",
            "User-Agent": f"{self._package}-python/{self._version} python/{platform.python_version()}",
        }
        if self._version_header and self._version_header[1] is not None:
            merged[self._version_header[0]] = self._version_header[1]
        _merge_headers(merged, self._default_headers)
        self._apply_auth(endpoint, merged, params)
        jar = "; ".join(
            f"{k}={quote(_scalar_text(v), safe='')}"
            for k, v in strip_not_given(cookies).items()
            if v is not None
        )
        if jar:
            cookie = _find_header(merged, "Cookie")
            merged[cookie or "Cookie"] = f"{merged[cookie]}; {jar}" if cookie else jar
        changes = {**strip_not_given(headers), **strip_not_given(extra_headers)}
        _merge_headers(merged, changes)
        raw = _pop_header(merged, RAW_RESPONSE_HEADER) is not None
        # An idempotency key is generated unless the caller set one, or opted out with None
        # (the request is then sent once, never retried).
        key = endpoint.idempotency_header
        if key and _find_header(merged, key) is None and _find_header(changes, key) is None:
            merged[key] = f"{self._package}-retry-{uuid.uuid4()}"
        content = _content(endpoint, body, extra_body)
        if "content" in content and not any(k.lower() == "content-type" for k in merged):
            merged["Content-Type"] = endpoint.content_type  # raw bytes or text: say what they are
        return _Prepared(
            endpoint=endpoint,
            url=self.base_url + _fill_path(endpoint.path, path_params or {}),
            params=params,
            headers=merged,
            content=content,
            timeout=self.timeout if isinstance(timeout, NotGiven) else timeout,
            max_retries=self.max_retries if isinstance(max_retries, NotGiven) else max_retries,
            raw=raw,
        )

    def _apply_auth(
        self, endpoint: Endpoint, headers: Dict[str, str], params: List[Tuple[str, str]]
    ) -> None:
        for requirement in endpoint.security:
            schemes = [self._auth.get(key) for key in requirement]
            if all(s is not None for s in schemes):
                trial_headers, trial_params = dict(headers), list(params)
                if all(s.apply(trial_headers, trial_params) for s in schemes if s is not None):
                    headers.update(trial_headers)
                    params[:] = trial_params
                    return

    def _build_request(
        self, client: Union[httpx.Client, httpx.AsyncClient], prepared: _Prepared, attempt: int
    ) -> httpx.Request:
        headers = dict(prepared.headers)
        headers[RETRY_COUNT_HEADER] = str(attempt)
        return client.build_request(
            prepared.endpoint.method.upper(),
            prepared.url,
            params=tuple(prepared.params),
            headers=headers,
            timeout=prepared.timeout,
            **prepared.content,
        )

    # -- retries -------------------------------------------------------------------------

    def _may_retry(self, prepared: _Prepared) -> bool:
        """Never repeat a non-idempotent request unless it carries an idempotency key."""
        endpoint = prepared.endpoint
        return endpoint.method in _IDEMPOTENT_METHODS or (
            endpoint.idempotency_header is not None
            and _find_header(prepared.headers, endpoint.idempotency_header) is not None
        )

    def _should_retry(self, response: httpx.Response) -> bool:
        hint = str(response.headers.get("x-should-retry", ""))
        if hint in ("true", "false"):
            return hint == "true"
        return response.status_code in (408, 409, 429) or response.status_code >= 500

    def _retry_delay(self, attempt: int, response: Optional[httpx.Response]) -> float:
        if response is not None:
            after = _retry_after(response.headers)
            if after is not None and 0 <= after <= MAX_RETRY_AFTER:
                return after
        delay = min(INITIAL_RETRY_DELAY * (2.0**attempt), MAX_RETRY_DELAY)
        return delay * (1 - 0.25 * random.random())

    # -- responses -----------------------------------------------------------------------

    def _status_error(self, endpoint: Endpoint, response: httpx.Response) -> APIStatusError:
        try:
            body: Any = response.json()
        except ValueError:
            body = response.text or None
        model = _error_model(endpoint.errors, response.status_code)
        if model is not None and body is not None:
            with contextlib.suppress(pydantic.ValidationError):
                body = validate_as(model, body)
        return make_status_error(response, body, redact=self._secrets_sent(response.request))

    def _parse(self, endpoint: Endpoint, cast_to: Any, response: httpx.Response) -> Any:
        kind = endpoint.response
        if kind == "empty" or cast_to is None:
            return None
        if kind == "binary":
            return response.content
        if kind == "text":
            return response.text
        if not response.content:
            return None
        try:
            data = response.json()
        except ValueError:
            raise APIResponseValidationError(
                response, response.text, message="response body is not JSON"
            ) from None
        try:
            return validate_as(cast_to, data)
        except pydantic.ValidationError as exc:
            raise APIResponseValidationError(response, data, message=_describe(exc)) from exc

    def _log_request(self, request: httpx.Request, attempt: int) -> None:
        if self._log.isEnabledFor(logging.DEBUG):
            headers = {
                k: ("<redacted>" if self._is_secret(k, v) else v)
                for k, v in request.headers.items()
            }
            self._log.debug(
                "HTTP request %s %s attempt=%d headers=%s",
                request.method,
                _redact_url(request.url, self._secret_values()),
                attempt,
                headers,
            )

    def _log_response(self, response: httpx.Response) -> None:
        self._log.debug(
            "HTTP response %s %s -> %d",
            response.request.method,
            _redact_url(response.request.url, self._secret_values()),
            response.status_code,
        )

    def _secret_values(self) -> List[str]:
        return [s for auth in self._auth.values() for s in auth.secrets()]

    def _secrets_sent(self, request: httpx.Request) -> List[str]:
        """The known secrets and the credential the request carried (a token from a callable is
        known only once sent), so a server that echoes it does not put it in a message."""
        secrets = self._secret_values()
        credential = request.headers.get("authorization", "").partition(" ")[2]
        return [*secrets, credential] if credential else secrets

    def _is_secret(self, name: str, value: str) -> bool:
        return name.lower() in _SENSITIVE or any(s and s in value for s in self._secret_values())


class SyncAPIClient(BaseClient):
    def __init__(self, *, http_client: Optional[httpx.Client], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._client = http_client or httpx.Client(follow_redirects=True)

    def close(self) -> None:
        self._client.close()

    def __enter__(self: _ClientT) -> _ClientT:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()

    def request(
        self,
        endpoint: Endpoint,
        cast_to: Any,
        *,
        path_params: Optional[Mapping[str, object]] = None,
        query: Optional[Query] = None,
        headers: Optional[Headers] = None,
        cookies: Optional[Headers] = None,
        body: object = NOT_GIVEN,
        extra_headers: Optional[Headers] = None,
        extra_query: Optional[Query] = None,
        extra_body: Optional[Body] = None,
        timeout: Union[Timeout, NotGiven] = NOT_GIVEN,
        max_retries: Union[int, NotGiven] = NOT_GIVEN,
    ) -> Any:
        prepared = self._prepare(
            endpoint,
            path_params=path_params,
            query=query,
            headers=headers,
            cookies=cookies,
            body=body,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            timeout=timeout,
            max_retries=max_retries,
        )
        response = self._send(prepared)
        if prepared.raw:
            return APIResponse(response, lambda: self._parse(endpoint, cast_to, response))
        return self._parse(endpoint, cast_to, response)

    def _send(self, prepared: _Prepared) -> httpx.Response:
        attempt = 0
        while True:
            request = self._build_request(self._client, prepared, attempt)
            self._log_request(request, attempt)
            retryable = self._may_retry(prepared) and attempt < prepared.max_retries
            try:
                response = self._client.send(request)
            except httpx.TimeoutException as exc:
                if retryable:
                    time.sleep(self._retry_delay(attempt, None))
                    attempt += 1
                    continue
                raise APITimeoutError(request) from exc
            except httpx.TransportError as exc:
                if retryable:
                    time.sleep(self._retry_delay(attempt, None))
                    attempt += 1
                    continue
                raise APIConnectionError(request=request) from exc
            self._log_response(response)
            if response.is_success:
                return response
            if retryable and self._should_retry(response):
                response.close()
                time.sleep(self._retry_delay(attempt, response))
                attempt += 1
                continue
            response.read()
            raise self._status_error(prepared.endpoint, response)


class AsyncAPIClient(BaseClient):
    def __init__(self, *, http_client: Optional[httpx.AsyncClient], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._client = http_client or httpx.AsyncClient(follow_redirects=True)

    async def close(self) -> None:
        await self._client.aclose()

    async def __aenter__(self: _ClientT) -> _ClientT:
        return self

    async def __aexit__(self, *args: object) -> None:
        await self.close()

    async def request(
        self,
        endpoint: Endpoint,
        cast_to: Any,
        *,
        path_params: Optional[Mapping[str, object]] = None,
        query: Optional[Query] = None,
        headers: Optional[Headers] = None,
        cookies: Optional[Headers] = None,
        body: object = NOT_GIVEN,
        extra_headers: Optional[Headers] = None,
        extra_query: Optional[Query] = None,
        extra_body: Optional[Body] = None,
        timeout: Union[Timeout, NotGiven] = NOT_GIVEN,
        max_retries: Union[int, NotGiven] = NOT_GIVEN,
    ) -> Any:
        prepared = self._prepare(
            endpoint,
            path_params=path_params,
            query=query,
            headers=headers,
            cookies=cookies,
            body=body,
            extra_headers=extra_headers,
            extra_query=extra_query,
            extra_body=extra_body,
            timeout=timeout,
            max_retries=max_retries,
        )
        response = await self._send(prepared)
        if prepared.raw:
            return AsyncAPIResponse(response, lambda: self._parse(endpoint, cast_to, response))
        return self._parse(endpoint, cast_to, response)

    async def _send(self, prepared: _Prepared) -> httpx.Response:
        attempt = 0
        while True:
            request = self._build_request(self._client, prepared, attempt)
            self._log_request(request, attempt)
            retryable = self._may_retry(prepared) and attempt < prepared.max_retries
            try:
                response = await self._client.send(request)
            except httpx.TimeoutException as exc:
                if retryable:
                    await anyio.sleep(self._retry_delay(attempt, None))
                    attempt += 1
                    continue
                raise APITimeoutError(request) from exc
            except httpx.TransportError as exc:
                if retryable:
                    await anyio.sleep(self._retry_delay(attempt, None))
                    attempt += 1
                    continue
                raise APIConnectionError(request=request) from exc
            self._log_response(response)
            if response.is_success:
                return response
            if retryable and self._should_retry(response):
                await response.aclose()
                await anyio.sleep(self._retry_delay(attempt, response))
                attempt += 1
                continue
            await response.aread()
            raise self._status_error(prepared.endpoint, response)


# -- helpers ----------------------------------------------------------------------------------


def _fill_path(template: str, values: Mapping[str, object]) -> str:
    path = template
    for name, value in values.items():
        text = value if isinstance(value, str) else str(to_jsonable(value))
        if not text:
            raise ValueError(f"path parameter {name!r} must not be empty")
        path = path.replace("{" + name + "}", quote(text, safe=""))
    return path


def _scalar_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(to_jsonable(value))


def _find_header(headers: Mapping[str, str], name: str) -> Optional[str]:
    """The key under which ``name`` is set, compared without case as HTTP does."""
    lower = name.lower()
    return next((key for key in headers if key.lower() == lower), None)


def _pop_header(headers: Dict[str, str], name: str) -> Optional[str]:
    key = _find_header(headers, name)
    return None if key is None else headers.pop(key)


def _merge_headers(headers: Dict[str, str], changes: Mapping[str, object]) -> None:
    """Set or (for ``None``) remove headers, replacing any spelling of the same name: a
    per-request ``x-polytomic-version`` replaces the default ``X-Polytomic-Version`` instead
    of being sent beside it."""
    for name, value in changes.items():
        _pop_header(headers, name)
        if value is not None:
            headers[name] = str(value)


def _content(endpoint: Endpoint, body: object, extra_body: Optional[Body]) -> Dict[str, Any]:
    if isinstance(body, NotGiven) and not extra_body:
        return {}
    if endpoint.body in ("binary", "text"):
        data = body.encode() if isinstance(body, str) else body
        return {"content": data}
    if isinstance(body, Mapping):
        fields: Any = {k: v for k, v in body.items() if not isinstance(v, NotGiven)}
    else:
        fields = body
    if extra_body:
        fields = {**(fields if isinstance(fields, Mapping) else {}), **extra_body}
    if endpoint.body == "form":
        return {"data": {k: _form_value(v) for k, v in to_jsonable(fields).items()}}
    if endpoint.body == "multipart":
        files = {
            k: v for k, v in fields.items() if isinstance(v, (bytes, tuple)) or hasattr(v, "read")
        }
        data = {
            k: _form_value(v)
            for k, v in to_jsonable({k: v for k, v in fields.items() if k not in files}).items()
        }
        return {"files": files, "data": data}
    return {"json": to_jsonable(fields)}


def _form_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return value


def _error_model(errors: Mapping[str, Any], status: int) -> Any:
    code = str(status)
    return errors.get(code) or errors.get(code[0] + "XX") or errors.get("default")


def _retry_after(headers: httpx.Headers) -> Optional[float]:
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return float(ms) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        return float(email.utils.mktime_tz(parsed) - time.time())


def _describe(exc: pydantic.ValidationError) -> str:
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error.get("loc", ())) or "<root>"
        parts.append(f"{where}: {error.get('msg')}")
    more = f" (+{exc.error_count() - 5} more)" if exc.error_count() > 5 else ""
    return "response does not match the schema: " + "; ".join(parts) + more


def _redact_url(url: httpx.URL, secrets: List[str]) -> str:
    text = str(url)
    for secret in secrets:
        if secret:
            text = text.replace(quote(secret, safe=""), "<redacted>").replace(secret, "<redacted>")
    return text
