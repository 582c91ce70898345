"""When to repeat a request, and how long to wait first: the server's ``Retry-After`` (or
``retry-after-ms``) when it gives one within ``MAX_RETRY_AFTER``, else exponential backoff with
jitter.  A server that asks for a longer wait is not retried at all: the call fails at once
with the server's delay on the error (``retry_after``), for the caller to decide.

Only transient transport failures are retried (a refused or dropped connection, a timeout, a
broken answer); a request that can never succeed as built (a URL without ``http://``, a header
value httpx refuses, a certificate that does not verify, too many redirects) fails at once.
"""

from __future__ import annotations

import time
from typing import Optional

import httpx

__all__ = ["describe_transport_error", "is_transient", "retry_delay", "should_retry"]

INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0

# Transport failures that another attempt may not meet: the connection could not be made or
# was lost, the server's answer broke off or was malformed, a timeout expired.
_TRANSIENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


# What an httpx error that carries no message of its own means.
_SILENT = {
    "ConnectTimeout": "no connection within the connect timeout",
    "ReadTimeout": "no answer within the read timeout",
    "WriteTimeout": "the request could not be sent within the write timeout",
    "PoolTimeout": "no connection of the pool became free within the pool timeout",
}


def should_retry(response: httpx.Response) -> bool:
    hint = str(response.headers.get("x-should-retry", ""))
    if hint in ("true", "false"):
        return hint == "true"
    return response.status_code in (408, 409, 429) or response.status_code >= 500


def is_transient(exc: Exception) -> bool:
    """A transport error worth another attempt (see the module's docstring)."""
    if not isinstance(exc, _TRANSIENT):
        return False
    if isinstance(exc, httpx.ConnectError):
        import ssl  # loaded by httpx already

        cause: Optional[BaseException] = exc
        while cause is not None:  # a certificate that does not verify will not verify next time
            if isinstance(cause, ssl.SSLCertVerificationError):
                return False
            cause = cause.__cause__ or cause.__context__
    return True


def describe_transport_error(exc: Exception, request: httpx.Request, attempts: int) -> str:
    """What happened, in one line: the httpx error's type and message, the request, and how
    many attempts were made."""
    detail = str(exc).strip() or str(exc.__context__ or "").strip()
    detail = detail or _SILENT.get(type(exc).__name__, "")
    what = type(exc).__name__ + (f": {detail}" if detail else "")
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    return f"{what} ({request.method} {request.url}{tries})"


def retry_delay(attempt: int, response: Optional[httpx.Response]) -> Optional[float]:
    """Seconds to wait before the next attempt; None when the server asks for a wait longer
    than ``MAX_RETRY_AFTER`` (the call should fail now, not retry sooner than asked)."""
    import random  # only retries need it

    if response is not None:
        after = retry_after(response.headers)
        if after is not None and after > MAX_RETRY_AFTER:
            return None
        if after is not None and after >= 0:
            return after
    delay = min(INITIAL_RETRY_DELAY * (2.0**attempt), MAX_RETRY_DELAY)
    return delay * (1 - 0.25 * random.random())


def retry_after(headers: httpx.Headers) -> Optional[float]:
    """The delay the server asks for, in seconds (``retry-after-ms`` first), if it gives one."""
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
        import email.utils

        parsed = email.utils.parsedate_tz(value)
        if parsed is None:
            return None
        return float(email.utils.mktime_tz(parsed) - time.time())
