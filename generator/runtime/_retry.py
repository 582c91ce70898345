"""When to repeat a request, and how long to wait first: the server's ``Retry-After`` (or
``retry-after-ms``) when it gives a reasonable one, else exponential backoff with jitter."""

from __future__ import annotations

import time
from typing import Optional

import httpx

__all__ = ["retry_delay", "should_retry"]

INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0


def should_retry(response: httpx.Response) -> bool:
    hint = str(response.headers.get("x-should-retry", ""))
    if hint in ("true", "false"):
        return hint == "true"
    return response.status_code in (408, 409, 429) or response.status_code >= 500


def retry_delay(attempt: int, response: Optional[httpx.Response]) -> float:
    import random  # only retries need it

    if response is not None:
        after = retry_after(response.headers)
        if after is not None and 0 <= after <= MAX_RETRY_AFTER:
            return after
    delay = min(INITIAL_RETRY_DELAY * (2.0**attempt), MAX_RETRY_DELAY)
    return delay * (1 - 0.25 * random.random())


def retry_after(headers: httpx.Headers) -> Optional[float]:
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
