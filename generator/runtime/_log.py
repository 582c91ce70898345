"""Debug logging of requests and responses (logger: the package's name), with credentials
redacted from headers and URLs."""

from __future__ import annotations

import logging
from typing import List
from urllib.parse import quote

import httpx

__all__ = ["log_request", "log_response"]

_SENSITIVE = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"}
)


def log_request(
    log: logging.Logger, request: httpx.Request, attempt: int, secrets: List[str]
) -> None:
    headers = {
        k: ("<redacted>" if _is_secret(k, v, secrets) else v) for k, v in request.headers.items()
    }
    log.debug(
        "HTTP request %s %s attempt=%d headers=%s",
        request.method,
        _redact_url(request.url, secrets),
        attempt,
        headers,
    )


def log_response(log: logging.Logger, response: httpx.Response, secrets: List[str]) -> None:
    log.debug(
        "HTTP response %s %s -> %d",
        response.request.method,
        _redact_url(response.request.url, secrets),
        response.status_code,
    )


def _is_secret(name: str, value: str, secrets: List[str]) -> bool:
    return name.lower() in _SENSITIVE or any(s and s in value for s in secrets)


def _redact_url(url: httpx.URL, secrets: List[str]) -> str:
    text = str(url)
    for secret in secrets:
        if secret:
            text = text.replace(quote(secret, safe=""), "<redacted>").replace(secret, "<redacted>")
    return text
