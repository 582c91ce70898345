"""The SDK's errors.

    APIError
    ├── APIConnectionError
    │   └── APITimeoutError
    ├── APIResponseValidationError
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

``APIStreamError``: an ``error`` event in a server-sent event stream;
``MissingCredentialsError``: an operation needs credentials the client was not given (raised
before sending); ``OAuth2TokenError``: the OAuth2 token endpoint gave no token.
Every error carries the ``request``; status errors also carry the ``response``, its
``status_code`` and ``headers``, and ``body``: the error body parsed into the spec's error
model when the operation declares one (else the decoded JSON, else the text).
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

import httpx

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APIStreamError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "MissingCredentialsError",
    "NotFoundError",
    "OAuth2TokenError",
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
    def __init__(self, *, message: str = "Connection error.", request: httpx.Request) -> None:
        super().__init__(message, request)


class APITimeoutError(APIConnectionError):
    def __init__(self, request: httpx.Request) -> None:
        super().__init__(message="Request timed out.", request=request)


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


class APIStatusError(APIError):
    """The server answered with a 4xx or 5xx status."""

    response: httpx.Response
    status_code: int

    def __init__(self, message: str, *, response: httpx.Response, body: Any) -> None:
        super().__init__(message, response.request, body=body)
        self.response = response
        self.status_code = response.status_code

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
    return cls(message, response=response, body=body)


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
