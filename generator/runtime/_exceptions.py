"""The SDK's errors.

    APIError
    ├── APIConnectionError
    │   └── APITimeoutError
    ├── APIResponseValidationError
    │   ├── APIResponseBodyError
    │   └── PaginationLoopError
    ├── APIStreamError
    ├── MissingCredentialsError
    ├── OAuth2TokenError
    └── APIStatusError
        ├── BadRequestError            400
        ├── AuthenticationError        401
        ├── PermissionDeniedError      403
        ├── NotFoundError              404
        ├── ConflictError              409
        ├── UnprocessableEntityError   422
        ├── RateLimitError             429
        └── InternalServerError        5xx

    InvalidArgumentError (a ValueError)

``APIStreamError``: an ``error`` event in a server-sent event stream;
``InvalidArgumentError``: an argument breaks a constraint of the spec (``maximum``,
``maxLength``, ``pattern``...), raised before sending; ``MissingCredentialsError``: an operation needs credentials the client was not given (raised
before sending); ``OAuth2TokenError``: the OAuth2 token endpoint gave no token.
Every error carries the ``request``; status errors also carry the ``response``, its
``status_code`` and ``headers``, ``body``: the error body parsed into the spec's error
model when the operation declares one (else the decoded JSON, else the text), and
``retry_after``: the delay the server asked for (``Retry-After`` or ``retry-after-ms``), if any.
A connection error's message names its cause (``__cause__`` keeps the httpx exception).
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

import httpx

from ._retry import MAX_RETRY_AFTER
from ._retry import retry_after as _retry_after

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseBodyError",
    "APIResponseValidationError",
    "APIStatusError",
    "APIStreamError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "InvalidArgumentError",
    "MissingCredentialsError",
    "NotFoundError",
    "OAuth2TokenError",
    "PaginationLoopError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
]


class APIError(Exception):
    message: str
    request: httpx.Request
    body: Any

    def __init__(self, message: str, request: httpx.Request, *, body: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body


class APIConnectionError(APIError):
    """No answer from the server: the connection failed, dropped, or was refused before a
    request could be sent (the message names the cause; ``__cause__`` is the httpx error)."""

    def __init__(self, *, message: str = "Connection error.", request: httpx.Request) -> None:
        super().__init__(message, request)


class APITimeoutError(APIConnectionError):
    def __init__(self, request: httpx.Request, *, message: str = "Request timed out.") -> None:
        super().__init__(message=message, request=request)


class APIResponseValidationError(APIError):
    """The server answered with a body that does not match the spec's schema."""

    response: httpx.Response
    status_code: int

    def __init__(
        self, response: httpx.Response, body: Any, *, message: Optional[str] = None
    ) -> None:
        super().__init__(
            message or "Data returned by API invalid for expected schema.",
            response.request,
            body=body,
        )
        self.response = response
        self.status_code = response.status_code


class APIResponseBodyError(APIResponseValidationError):
    """A success response whose body is empty or not JSON, where the operation declares a
    JSON body (``body`` is the text received, ``response`` the whole answer)."""


class PaginationLoopError(APIResponseValidationError):
    """The server sent back a next-page cursor it had already sent: following it would fetch
    the same pages again, forever.  ``cursor`` is the repeated cursor, ``body`` the page that
    carried it (its items were yielded), ``response`` that page's response."""

    cursor: str

    def __init__(self, response: httpx.Response, page: Any, *, cursor: str, pages: int) -> None:
        super().__init__(
            response,
            page,
            message=f"pagination stopped: page {pages} sent back the next-page cursor {cursor!r}, "
            "already followed earlier; following it again would loop",
        )
        self.cursor = cursor


class APIStatusError(APIError):
    """The server answered with a 4xx or 5xx status."""

    response: httpx.Response
    status_code: int
    retry_after: Optional[float]

    def __init__(self, message: str, *, response: httpx.Response, body: Any) -> None:
        super().__init__(message, response.request, body=body)
        self.response = response
        self.status_code = response.status_code
        self.retry_after = _retry_after(response.headers)

    @property
    def headers(self) -> httpx.Headers:
        return self.response.headers


class BadRequestError(APIStatusError):
    pass


class AuthenticationError(APIStatusError):
    pass


class PermissionDeniedError(APIStatusError):
    pass


class NotFoundError(APIStatusError):
    pass


class ConflictError(APIStatusError):
    pass


class UnprocessableEntityError(APIStatusError):
    pass


class RateLimitError(APIStatusError):
    pass


class InternalServerError(APIStatusError):
    pass


_BY_STATUS = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def make_status_error(
    response: httpx.Response, body: Any, *, redact: Sequence[str] = ()
) -> APIStatusError:
    """The most specific error class for a response's status; ``redact``: credentials to keep
    out of the message should the server echo them (``body`` keeps what was sent)."""
    status = response.status_code
    cls = _BY_STATUS.get(status) or (InternalServerError if status >= 500 else APIStatusError)
    detail = _detail(body)
    for secret in redact:
        if secret:
            detail = detail.replace(secret, "<redacted>")
    message = f"Error code: {status}" + (f" - {detail}" if detail else "")
    error = cls(message, response=response, body=body)
    if error.retry_after is not None and error.retry_after > MAX_RETRY_AFTER:
        error.message = (
            f"{message} (the server asks to retry after {error.retry_after:g} s, longer than "
            f"the SDK waits ({MAX_RETRY_AFTER:g} s): not retried, see .retry_after)"
        )
        error.args = (error.message,)
    return error


def _detail(body: Any) -> str:
    for attr in ("message", "error", "detail"):
        value = body.get(attr) if isinstance(body, dict) else getattr(body, attr, None)
        if isinstance(value, str) and value:
            return value[:500]
    if isinstance(body, (dict, list, str)) and body:
        return str(body)[:500]
    return ""


class APIStreamError(APIError):
    """The server sent an ``error`` event in the middle of a stream; ``body`` is its data
    (decoded JSON, else the text), ``event`` the event itself."""

    response: httpx.Response

    def __init__(self, response: httpx.Response, data: str, *, event: Any) -> None:
        import json  # only error events need it

        try:
            body: Any = json.loads(data)
        except ValueError:
            body = data
        detail = _detail(body)
        super().__init__(
            "The server sent an error event" + (f": {detail}" if detail else ""),
            response.request,
            body=body,
        )
        self.response = response
        self.event = event


class InvalidArgumentError(ValueError):
    """An argument of a call breaks a constraint the spec declares (``maximum``, ``maxLength``,
    ``pattern``...): raised before anything is sent.  ``argument`` is the method's argument
    that carried it; ``__cause__`` keeps pydantic's error."""

    def __init__(self, argument: str, error: ValueError) -> None:
        super().__init__(f"{argument}: {_first_line(error)}")
        self.argument = argument


def _first_line(error: ValueError) -> str:
    """pydantic's message without its title and help links: ``0: has 3 items, more than 2``."""
    errors = getattr(error, "errors", None)
    if callable(errors):
        parts = []
        for e in errors()[:5]:
            where = ".".join(str(p) for p in e.get("loc", ()))
            parts.append(f"{where}: {e.get('msg')}" if where else str(e.get("msg")))
        return "; ".join(parts)
    return str(error)


class MissingCredentialsError(APIError):
    """An operation needs credentials the client was not given: raised before anything is
    sent.  ``message`` names the constructor arguments and environment variables to set."""


class OAuth2TokenError(APIError):
    """The OAuth2 token endpoint did not give a token: an error status, a body that is not
    JSON (an HTML page), or JSON without ``access_token``.  ``status_code`` is None when no
    answer arrived.  The client secret is never part of the message."""

    def __init__(
        self,
        message: str,
        request: httpx.Request,
        *,
        body: Any = None,
        status_code: Optional[int] = None,
    ) -> None:
        super().__init__(message, request, body=body)
        self.status_code = status_code
