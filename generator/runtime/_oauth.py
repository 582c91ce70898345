"""OAuth2 client credentials: the client fetches its own access token.

The token comes from the scheme's ``tokenUrl`` (relative URLs are resolved against the base
URL): a form POST with ``grant_type=client_credentials``, the client id and secret in the body
(``client_secret_post``; when the server refuses them there, once more as HTTP Basic,
``client_secret_basic``, and the way that worked is kept) and the scopes the spec declares.  It is cached until shortly before
``expires_in`` runs out (a tenth of its lifetime, at most 30 s, earlier), fetched again then,
and once more when the API answers 401 to a request that carried it.  Concurrent calls share
one fetch: a thread lock for the sync client, and for the async client a lock per event loop,
created in that loop when first needed (a client may be used from several ``asyncio.run``s).

The token and the client secret never appear in a repr, a log line or an error message.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

import httpx

from ._auth import Auth
from ._exceptions import OAuth2TokenError

__all__ = ["OAuth2ClientCredentials"]

_MAX_LEEWAY = 30.0


class OAuth2ClientCredentials(Auth):
    fetches_tokens = True

    def __init__(
        self,
        client_id: Optional[str],
        client_secret: Optional[str],
        *,
        token_url: str,
        scopes: Tuple[str, ...] = (),
        hint: str = "",
    ) -> None:
        super().__init__(hint=hint)
        self._client_id = client_id
        self._client_secret = client_secret
        self._token_url = token_url
        self._scopes = scopes
        self._token: Optional[str] = None
        self._expires_at: Optional[float] = None
        self._thread_lock = threading.Lock()
        self._async_locks: Dict[Any, Any] = {}
        self._basic: Optional[bool] = None  # how the server takes the credentials, once known
        self.fetches = 0  # how many tokens were fetched

    # -- what the client asks --------------------------------------------------------------

    def configured(self) -> bool:
        return bool(self._client_id and self._client_secret)

    def apply(self, headers: Dict[str, str], params: List[Tuple[str, str]]) -> bool:
        token = self._token
        if not self.configured() or not token:
            return False
        headers["Authorization"] = f"Bearer {token}"
        return True

    def present(self, headers: Dict[str, str], params: List[Tuple[str, str]]) -> bool:
        return any(k.lower() == "authorization" for k in headers)

    def secrets(self) -> List[str]:
        return [s for s in (self._client_secret, self._token) if s]

    def fresh(self) -> bool:
        return self._token is not None and (
            self._expires_at is None or time.monotonic() < self._expires_at
        )

    def invalidate(self, sent: Optional[str]) -> None:
        """The API refused the token ``sent`` (an ``Authorization`` value): forget it, unless a
        newer one replaced it meanwhile."""
        if self._token is not None and sent == f"Bearer {self._token}":
            self._token = None

    # -- fetching --------------------------------------------------------------------------

    def refresh(self, client: httpx.Client, base_url: str, timeout: httpx.Timeout) -> None:
        if self.fresh():
            return
        with self._thread_lock:
            if self.fresh():
                return
            for basic in self._methods():
                request = self._request(client, base_url, timeout, basic)
                try:
                    response = client.send(request)
                except httpx.TransportError as exc:
                    raise self._unreachable(request, exc) from exc
                if not self._try_basic(response, basic):
                    self._take(response, basic)
                    return

    async def arefresh(
        self, client: httpx.AsyncClient, base_url: str, timeout: httpx.Timeout
    ) -> None:
        if self.fresh():
            return
        async with self._async_lock():
            if self.fresh():
                return
            for basic in self._methods():
                request = self._request(client, base_url, timeout, basic)
                try:
                    response = await client.send(request)
                except httpx.TransportError as exc:
                    raise self._unreachable(request, exc) from exc
                if not self._try_basic(response, basic):
                    self._take(response, basic)
                    return

    def _methods(self) -> Tuple[bool, ...]:
        """How to send the client's credentials: in the form (``client_secret_post``), then,
        if the server refuses them there, as HTTP Basic (``client_secret_basic``); once one
        works it is kept."""
        return (self._basic,) if self._basic is not None else (False, True)

    def _try_basic(self, response: httpx.Response, basic: bool) -> bool:
        """Whether to send the credentials again as HTTP Basic (the form's were refused)."""
        if basic or self._basic is not None or response.status_code not in (400, 401):
            return False
        try:
            error = response.json().get("error")
        except (ValueError, AttributeError):
            error = None
        return response.status_code == 401 or error == "invalid_client"

    def _async_lock(self) -> Any:
        """A lock of the running event loop (made there, so never bound to another loop)."""
        try:
            import asyncio

            loop: Any = asyncio.get_running_loop()
        except RuntimeError:  # another async library (trio): anyio's lock
            loop = "anyio"
        with self._thread_lock:
            lock = self._async_locks.get(loop)
            if lock is None:
                if loop == "anyio":
                    import anyio

                    lock = anyio.Lock()
                else:
                    import asyncio

                    lock = asyncio.Lock()
                    for old in [k for k in self._async_locks if k != "anyio" and k.is_closed()]:
                        del self._async_locks[old]
                self._async_locks[loop] = lock
            return lock

    def _url(self, base_url: str) -> str:
        if self._token_url.startswith(("http://", "https://")):
            return self._token_url
        return str(httpx.URL(base_url.rstrip("/") + "/").join(self._token_url))

    def _request(
        self,
        client: Union[httpx.Client, httpx.AsyncClient],
        base_url: str,
        timeout: httpx.Timeout,
        basic: bool,
    ) -> httpx.Request:
        form = {"grant_type": "client_credentials"}
        headers = {"Accept": "application/json"}
        if basic:  # RFC 6749 2.3.1: each form-encoded, then HTTP Basic
            from urllib.parse import quote_plus

            user, password = quote_plus(self._client_id or ""), quote_plus(
                self._client_secret or ""
            )
            headers["Authorization"] = httpx.BasicAuth(user, password)._auth_header  # noqa: SLF001
        else:
            form["client_id"] = self._client_id or ""
            form["client_secret"] = self._client_secret or ""
        if self._scopes:
            form["scope"] = " ".join(self._scopes)
        return client.build_request(
            "POST",
            self._url(base_url),
            data=form,
            headers=headers,
            extensions={"timeout": timeout.as_dict()},
        )

    def _unreachable(self, request: httpx.Request, exc: Exception) -> OAuth2TokenError:
        what = "timed out" if isinstance(exc, httpx.TimeoutException) else "failed"
        return OAuth2TokenError(
            f"the OAuth2 token request to {request.url} {what}: {self._redact(str(exc))}",
            request,
        )

    def _take(self, response: httpx.Response, basic: bool) -> None:
        request = response.request
        kind = response.headers.get("content-type", "").split(";")[0].strip() or "no content type"
        try:
            body: Any = response.json()
        except ValueError:
            body = None
        status = response.status_code
        if not response.is_success:
            detail = ""
            if isinstance(body, dict):
                parts = [body.get("error"), body.get("error_description")]
                detail = ": " + " - ".join(str(p) for p in parts if p) if any(parts) else ""
            else:
                detail = f" ({kind}, not a JSON error)"
            raise OAuth2TokenError(
                self._redact(f"the OAuth2 token endpoint {request.url} answered {status}{detail}"),
                request,
                body=body,
                status_code=status,
            )
        if not isinstance(body, dict):
            raise OAuth2TokenError(
                f"the OAuth2 token endpoint {request.url} answered {status} with {kind}, "
                "not a JSON object",
                request,
                status_code=status,
            )
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise OAuth2TokenError(
                f"the OAuth2 token endpoint {request.url} answered without an access_token",
                request,
                status_code=status,
            )
        expires_at: Optional[float] = None
        expires_in = body.get("expires_in")
        try:
            lifetime = float(expires_in) if expires_in is not None else None
        except (TypeError, ValueError):
            lifetime = None
        if lifetime is not None and lifetime > 0:
            expires_at = time.monotonic() + lifetime - min(_MAX_LEEWAY, lifetime / 10)
        self._token, self._expires_at = token, expires_at
        self._basic = basic
        self.fetches += 1

    def _redact(self, text: str) -> str:
        for secret in self.secrets():
            text = text.replace(secret, "<redacted>")
        return text


def token_auths(auth: Mapping[str, Auth], security: Tuple[Tuple[str, ...], ...]) -> List[Any]:
    """The token-fetching credentials of the security requirement a call will use."""
    for requirement in security:
        if not requirement:
            continue
        schemes = [auth.get(key) for key in requirement]
        if all(s is not None and s.configured() for s in schemes):
            return [s for s in schemes if s is not None and s.fetches_tokens]
    return []
