"""The HTTP machinery behind every generated client: request building, auth, API-version
pinning, retries, error mapping and response parsing.  Sync and async share everything
but the send loop.

What every request of a client sends (``Accept``, ``User-Agent``, the version header, the
default headers) is merged once per client, not once per call; pydantic, the models and the
modules that only retries need are imported when first used.
"""

from __future__ import annotations

import copy
import logging
import sys
import time
from contextvars import ContextVar
from typing import Any, Dict, List, Mapping, Optional, Tuple, TypeVar, Union

import httpx

from ._auth import Auth
from ._constraints import check_arguments
from ._credentials import CredentialsMixin
from ._exceptions import (
    APIConnectionError,
    APIResponseBodyError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    make_status_error,
)
from ._files import content_length, for_client
from ._log import log_request, log_response
from ._qs import dots_kept, encode_cookies, encode_headers, encode_pairs, encode_query, fill_path
from ._request import (
    Endpoint,
    Prepared,
    content,
    find_header,
    merge_headers,
    pop_header,
    random_uuid,
)
from ._resource import AsyncResource, SyncResource
from ._response import (
    RAW_RESPONSE_HEADER,
    STREAM_RESPONSE_HEADER,
    APIResponse,
    AsyncAPIResponse,
    AsyncStreamedAPIResponse,
    StreamedAPIResponse,
)
from ._retry import describe_transport_error, is_transient, retry_delay, should_retry
from ._serde import (
    describe_validation_error,
    is_json_syntax_error,
    is_validation_error,
    validate_as,
    validate_json_as,
)
from ._servers import Server
from ._types import NOT_GIVEN, Body, Headers, NotGiven, Params, Query, Timeout, strip_not_given

__all__ = [
    "DEFAULT_CONNECTION_LIMITS",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "AsyncAPIClient",
    "Endpoint",
    "SyncAPIClient",
]

# No limit on the wait for a free connection of the pool: with more calls at once than
# connections (DEFAULT_CONNECTION_LIMITS), a call queues until one is free rather than failing.
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0, pool=None)
DEFAULT_MAX_RETRIES = 2
# The connection pool of a client the SDK creates: as many connections kept alive as may be
# open (httpx keeps 20 of its 100), so concurrent calls reuse them instead of opening a new one
# per call: httpcore closes a connection that falls idle whenever the pool holds more connections
# than it keeps alive.  Not more than 100: httpcore's pool bookkeeping grows with the square of
# its size, and 1,000 connections serve 1,000 concurrent calls more slowly than 100 do.  Idle
# connections close after 5 s.  Pass your own http_client (httpx.Client(limits=...)) to change it.
DEFAULT_CONNECTION_LIMITS = httpx.Limits(
    max_connections=100, max_keepalive_connections=100, keepalive_expiry=5.0
)
RETRY_COUNT_HEADER = "X-Retry-Count"
_ClientT = TypeVar("_ClientT", bound="BaseClient")
_PYTHON_VERSION = sys.version.split()[0]  # what platform.python_version() says, e.g. 3.11.7
# Set by a pager around the fetch of one page: the responses parsed meanwhile are appended, so
# an error about the page can carry its response.
PAGE_RESPONSES: ContextVar[Optional[List[httpx.Response]]] = ContextVar(
    "PAGE_RESPONSES", default=None
)


class BaseClient(CredentialsMixin):
    _version: str = "0.0.0"
    _package: str = "sdk"

    def __init__(
        self,
        *,
        base_url: Optional[str],
        auth: Mapping[str, Auth],
        version_header: Optional[Tuple[str, Optional[str]]],
        timeout: Timeout,
        max_retries: int,
        default_headers: Optional[Mapping[str, str]],
        server: Optional[Server] = None,
        server_variables: Optional[Mapping[str, str]] = None,
    ) -> None:
        # A base URL the user gives replaces every server, the operations' own included.
        self._server_values = dict(server_variables or {})
        self._base_url_given = bool(base_url)
        self.base_url = (
            base_url or (server.resolve(self._server_values) if server else "")
        ).rstrip("/")
        self._server_urls: Dict[Server, str] = {}
        self._auth = dict(auth)
        self._fetches_tokens = any(a.fetches_tokens for a in self._auth.values())
        self._version_header = version_header
        self.timeout = timeout
        self.max_retries = max_retries
        self._default_headers = dict(default_headers or {})
        self._log = logging.getLogger(self._package)
        self._timeouts: Tuple[object, httpx.Timeout] = (None, httpx.Timeout(None))
        self._merge_fixed_headers()

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
            clone._base_url_given = True
        if not isinstance(timeout, NotGiven):
            clone.timeout = timeout
        if not isinstance(max_retries, NotGiven):
            clone.max_retries = max_retries
        if default_headers is not None:
            clone._default_headers = {**self._default_headers, **default_headers}
        clone._merge_fixed_headers()
        return clone

    # -- building ------------------------------------------------------------------------

    def _merge_fixed_headers(self) -> None:
        """The headers every request of this client starts from."""
        headers = {
            "Accept": "application/json",
            "User-Agent": f"{self._package}-python/{self._version} python/{_PYTHON_VERSION}",
        }
        if self._version_header and self._version_header[1] is not None:
            headers[self._version_header[0]] = self._version_header[1]
        merge_headers(headers, self._default_headers)
        self._fixed_headers = headers
        self._accept_set = find_header(self._default_headers, "Accept") is not None

    def _timeout(self, timeout: Union[Timeout, NotGiven]) -> httpx.Timeout:
        """``timeout`` (or the client's) as an ``httpx.Timeout``; a number or None is converted
        once and the result kept for the next call with the same value."""
        value = self.timeout if isinstance(timeout, NotGiven) else timeout
        if isinstance(value, httpx.Timeout):
            return value
        last, normalized = self._timeouts
        if value is not last:
            normalized = httpx.Timeout(value)
            self._timeouts = (value, normalized)
        return normalized

    def _prepare(
        self,
        endpoint: Endpoint,
        *,
        path_params: Optional[Mapping[str, object]],
        query: Optional[Query],
        headers: Optional[Params],
        cookies: Optional[Params],
        body: object,
        extra_headers: Optional[Headers],
        extra_query: Optional[Query],
        extra_body: Optional[Body],
        timeout: Union[Timeout, NotGiven],
        max_retries: Union[int, NotGiven],
    ) -> Prepared:
        if endpoint.checks is not None:  # arguments the spec constrains, checked before sending
            where = {"path": path_params, "query": query, "header": headers, "cookie": cookies}
            check_arguments(endpoint.checked(), {**where, "body": body})
        if extra_query:
            query = {**(query or {}), **extra_query}
        params = encode_query(query, endpoint.specs) if query else []
        if endpoint.fixed_query:  # a query written into the spec's path key: sent unless given
            given = set(query or ())
            params[:0] = encode_pairs(
                [pair for pair in endpoint.fixed_query if pair[0] not in given]
            )
        merged = dict(self._fixed_headers)
        if endpoint.accept != "application/json" and not self._accept_set:
            merged["Accept"] = endpoint.accept  # what the operation's success responses declare
        credentials: List[Tuple[str, str]] = []
        authorized = self._apply_auth(endpoint, merged, credentials)
        params.extend(encode_pairs(credentials))
        if cookies:
            jar = encode_cookies(cookies, endpoint.specs)
            if jar:
                cookie = find_header(merged, "Cookie")
                merged[cookie or "Cookie"] = f"{merged[cookie]}; {jar}" if cookie else jar
        changes = (
            {
                **(encode_headers(headers, endpoint.specs) if headers else {}),
                **strip_not_given(extra_headers),
            }
            if headers or extra_headers
            else {}
        )
        if changes:
            merge_headers(merged, changes)
        if not authorized:  # unless the caller set them, credentials are missing: say so
            self._check_credentials(endpoint, merged, [(str(k), "") for k in query or ()])
        raw = pop_header(merged, RAW_RESPONSE_HEADER) is not None
        streamed = pop_header(merged, STREAM_RESPONSE_HEADER) is not None
        # An idempotency key is generated unless the caller set one, or opted out with None
        # (the request is then sent once, never retried).
        key = endpoint.idempotency_header
        if key and find_header(merged, key) is None and find_header(changes, key) is None:
            merged[key] = f"{self._package}-retry-{random_uuid()}"
        body_args = content(endpoint, body, extra_body)
        if (
            "content" in body_args
            or ("json" in body_args and endpoint.content_type != "application/json")
        ) and find_header(merged, "content-type") is None:
            merged["Content-Type"] = endpoint.content_type  # the media type the spec declares
        if "content" in body_args and not isinstance(body_args["content"], bytes):
            size = content_length(body_args["content"])  # a file: streamed with its length
            if size is not None:
                merged["Content-Length"] = str(size)
        merged[RETRY_COUNT_HEADER] = "0"  # the first attempt; _build_request counts the others
        path = (
            fill_path(endpoint.path, path_params, endpoint.specs)
            if path_params
            else dots_kept(endpoint.path)
        )
        url = self._base_for(endpoint) + path
        if params:  # percent-encoded by the serialization table; httpx keeps them as they are
            url += ("&" if "?" in url else "?") + "&".join(params)
        prepared = Prepared(
            endpoint,
            url,
            params,
            merged,
            body_args,
            self._timeout(timeout),
            self.max_retries if isinstance(max_retries, NotGiven) else max_retries,
            raw,
        )
        prepared.streamed = streamed
        return prepared

    def _base_for(self, endpoint: Endpoint) -> str:
        """The base URL of an operation: its own server's, unless the user gave one."""
        server = endpoint.server
        if server is None or self._base_url_given:
            return self.base_url
        url = self._server_urls.get(server)
        if url is None:
            url = self._server_urls[server] = server.resolve(self._server_values)
        return url

    def _build_request(
        self, client: Union[httpx.Client, httpx.AsyncClient], prepared: Prepared, attempt: int
    ) -> httpx.Request:
        headers = prepared.headers
        if attempt:
            headers = {**headers, RETRY_COUNT_HEADER: str(attempt)}
        body = prepared.content
        if "content" in body and not isinstance(body["content"], bytes):  # a file, rewound
            asynchronous = isinstance(client, httpx.AsyncClient)
            body = {**body, "content": for_client(body["content"], asynchronous)}
        return client.build_request(
            prepared.endpoint.verb,
            prepared.url,  # with the query string: httpx's params= would encode it again
            headers=headers,
            extensions={"timeout": prepared.timeout.as_dict()},
            **body,
        )

    # -- retries -------------------------------------------------------------------------

    def _transport_error(
        self, exc: httpx.RequestError, request: httpx.Request, attempt: int
    ) -> APIConnectionError:
        """The typed error for a request that got no usable answer; its message says why."""
        detail = describe_transport_error(exc, request, attempt + 1)
        for secret in self._secrets_sent(request):
            if secret:
                detail = detail.replace(secret, "<redacted>")
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(request, message=f"Request timed out: {detail}")
        return APIConnectionError(message=f"Connection error: {detail}", request=request)

    def _may_retry(self, prepared: Prepared) -> bool:
        """Never repeat a non-idempotent request unless it carries an idempotency key."""
        endpoint = prepared.endpoint
        return endpoint.idempotent or (
            endpoint.idempotency_header is not None
            and find_header(prepared.headers, endpoint.idempotency_header) is not None
        )

    # -- responses -----------------------------------------------------------------------

    def _status_error(self, endpoint: Endpoint, response: httpx.Response) -> APIStatusError:
        try:
            body: Any = response.json()
        except ValueError:
            body = response.text or None
        model = endpoint.error_type(response.status_code)
        if model is not None and body is not None:
            try:
                body = validate_as(model, body)  # with JSON semantics, as a success body
            except ValueError as exc:
                if not is_validation_error(exc):
                    raise
        return make_status_error(response, body, redact=self._secrets_sent(response.request))

    def _parse(self, endpoint: Endpoint, cast_to: Any, response: httpx.Response) -> Any:
        kind = endpoint.response
        if kind == "empty" or cast_to is None:
            return None
        if kind == "binary":
            return response.content
        if kind == "text":
            return response.text
        pager = PAGE_RESPONSES.get()
        if pager is not None:  # a pager asks which response its page came from
            pager.append(response)
        if not response.content:
            return self._empty_body(cast_to, response)
        try:  # the bytes as JSON: see validate_json_as (unions of models with date-times)
            return validate_json_as(cast_to, response.content)
        except ValueError as exc:
            if not is_validation_error(exc):
                raise
            if not is_json_syntax_error(exc):
                raise APIResponseValidationError(
                    response, response.json(), message=describe_validation_error(exc)
                ) from exc
        try:  # not UTF-8 JSON: JSON in another encoding (httpx detects it), or no JSON at all
            data = response.json()
        except ValueError:
            text = response.text
            kind = response.headers.get("content-type") or "no content-type"
            raise APIResponseBodyError(
                response,
                text,
                message=f"the {response.status_code} response body is not JSON ({kind}): {text[:200]!r}",
            ) from None
        try:
            return validate_as(cast_to, data)
        except ValueError as exc:
            if not is_validation_error(exc):
                raise
            raise APIResponseValidationError(
                response, data, message=describe_validation_error(exc)
            ) from exc

    def _empty_body(self, cast_to: Any, response: httpx.Response) -> Any:
        """None where the operation admits no body (a declared 204, a schema that allows null,
        a HEAD request); an error where it declares one: a model cannot be made of nothing."""
        if response.request.method == "HEAD":
            return None
        try:
            return validate_as(cast_to, None)
        except ValueError as exc:
            if not is_validation_error(exc):
                raise
        name = getattr(cast_to, "__name__", None) or repr(cast_to)
        raise APIResponseBodyError(
            response,
            "",
            message=f"the {response.status_code} response has an empty body, but the operation "
            f"declares one ({name})",
        )

    def _secret_values(self) -> List[str]:
        return [s for auth in self._auth.values() for s in auth.secrets()]

    def _secrets_sent(self, request: httpx.Request) -> List[str]:
        """The known secrets and the credential the request carried (a token from a callable is
        known only once sent), so a server that echoes it does not put it in a message."""
        secrets = self._secret_values()
        credential = request.headers.get("authorization", "").partition(" ")[2]
        return [*secrets, credential] if credential else secrets


class SyncAPIClient(BaseClient):
    def __init__(self, *, http_client: Optional[httpx.Client], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._client = http_client or httpx.Client(
            follow_redirects=True, limits=DEFAULT_CONNECTION_LIMITS
        )

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
        headers: Optional[Params] = None,
        cookies: Optional[Params] = None,
        body: object = NOT_GIVEN,
        extra_headers: Optional[Headers] = None,
        extra_query: Optional[Query] = None,
        extra_body: Optional[Body] = None,
        timeout: Union[Timeout, NotGiven] = NOT_GIVEN,
        max_retries: Union[int, NotGiven] = NOT_GIVEN,
        stream: bool = False,
        event_type: Any = None,
    ) -> Any:
        tokens = self._token_auths(endpoint)
        for auth in tokens:
            auth.refresh(self._client, self.base_url, self._timeout(timeout))
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
        raw_type: Any = StreamedAPIResponse if prepared.streamed else APIResponse
        if stream:
            merge_headers(prepared.headers, {"Accept": "text/event-stream"})
            prepared.streamed = True
        try:
            response = self._send(prepared)
        except AuthenticationError:
            if not tokens:
                raise
            for auth in tokens:  # the token was refused: once more with a new one
                auth.invalidate(prepared.headers.get("Authorization"))
                auth.refresh(self._client, self.base_url, prepared.timeout)
            self._reauthorize(prepared, tokens)
            response = self._send(prepared)
        if stream:
            from ._streaming import Stream, open_events

            reopen = lambda: self._send(prepared)  # noqa: E731
            return open_events(
                Stream,
                raw_type,
                prepared,
                response,
                event_type,
                self._may_retry(prepared),
                reopen,
            )
        if prepared.streamed:
            return StreamedAPIResponse(response, lambda: self._parse(endpoint, cast_to, response))
        if prepared.raw:
            return APIResponse(response, lambda: self._parse(endpoint, cast_to, response))
        return self._parse(endpoint, cast_to, response)

    def _send(self, prepared: Prepared) -> httpx.Response:
        debug = self._log.isEnabledFor(logging.DEBUG)
        may_retry = self._may_retry(prepared)
        attempt = 0
        while True:
            request = self._build_request(self._client, prepared, attempt)
            if debug:
                log_request(self._log, request, attempt, self._secret_values())
            retryable = may_retry and attempt < prepared.max_retries
            try:
                response = self._client.send(request, stream=prepared.streamed)
            except httpx.RequestError as exc:
                if retryable and is_transient(exc):
                    time.sleep(retry_delay(attempt, None) or 0.0)
                    attempt += 1
                    continue
                raise self._transport_error(exc, request, attempt) from exc
            if debug:
                log_response(self._log, response, self._secret_values())
            if response.is_success:
                return response
            wait = retry_delay(attempt, response) if retryable and should_retry(response) else None
            if wait is not None:
                response.close()
                time.sleep(wait)
                attempt += 1
                continue
            response.read()
            raise self._status_error(prepared.endpoint, response)


class AsyncAPIClient(BaseClient):
    def __init__(self, *, http_client: Optional[httpx.AsyncClient], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._client = http_client or httpx.AsyncClient(
            follow_redirects=True, limits=DEFAULT_CONNECTION_LIMITS
        )

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
        headers: Optional[Params] = None,
        cookies: Optional[Params] = None,
        body: object = NOT_GIVEN,
        extra_headers: Optional[Headers] = None,
        extra_query: Optional[Query] = None,
        extra_body: Optional[Body] = None,
        timeout: Union[Timeout, NotGiven] = NOT_GIVEN,
        max_retries: Union[int, NotGiven] = NOT_GIVEN,
        stream: bool = False,
        event_type: Any = None,
    ) -> Any:
        tokens = self._token_auths(endpoint)
        for auth in tokens:
            await auth.arefresh(self._client, self.base_url, self._timeout(timeout))
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
        raw_type: Any = AsyncStreamedAPIResponse if prepared.streamed else AsyncAPIResponse
        if stream:
            merge_headers(prepared.headers, {"Accept": "text/event-stream"})
            prepared.streamed = True
        try:
            response = await self._send(prepared)
        except AuthenticationError:
            if not tokens:
                raise
            for auth in tokens:  # the token was refused: once more with a new one
                auth.invalidate(prepared.headers.get("Authorization"))
                await auth.arefresh(self._client, self.base_url, prepared.timeout)
            self._reauthorize(prepared, tokens)
            response = await self._send(prepared)
        if stream:
            from ._streaming import AsyncStream, open_events

            reopen = lambda: self._send(prepared)  # noqa: E731
            return open_events(
                AsyncStream,
                raw_type,
                prepared,
                response,
                event_type,
                self._may_retry(prepared),
                reopen,
            )
        if prepared.streamed:
            return AsyncStreamedAPIResponse(
                response, lambda: self._parse(endpoint, cast_to, response)
            )
        if prepared.raw:
            return AsyncAPIResponse(response, lambda: self._parse(endpoint, cast_to, response))
        return self._parse(endpoint, cast_to, response)

    async def _send(self, prepared: Prepared) -> httpx.Response:
        debug = self._log.isEnabledFor(logging.DEBUG)
        may_retry = self._may_retry(prepared)
        attempt = 0
        while True:
            request = self._build_request(self._client, prepared, attempt)
            if debug:
                log_request(self._log, request, attempt, self._secret_values())
            retryable = may_retry and attempt < prepared.max_retries
            try:
                response = await self._client.send(request, stream=prepared.streamed)
            except httpx.RequestError as exc:
                if retryable and is_transient(exc):
                    await _async_sleep(retry_delay(attempt, None) or 0.0)
                    attempt += 1
                    continue
                raise self._transport_error(exc, request, attempt) from exc
            if debug:
                log_response(self._log, response, self._secret_values())
            if response.is_success:
                return response
            wait = retry_delay(attempt, response) if retryable and should_retry(response) else None
            if wait is not None:
                await response.aclose()
                await _async_sleep(wait)
                attempt += 1
                continue
            await response.aread()
            raise self._status_error(prepared.endpoint, response)


# -- helpers ----------------------------------------------------------------------------------


async def _async_sleep(seconds: float) -> None:
    import anyio  # only retries sleep: not loaded until one does

    await anyio.sleep(seconds)
