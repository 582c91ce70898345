"""The client's side of credentials: which security requirement a call satisfies, the error
when it satisfies none, and the OAuth2 tokens to fetch first (see ``_auth``, ``_oauth``)."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Tuple

import httpx

from ._auth import Auth
from ._exceptions import MissingCredentialsError
from ._request import Endpoint, Prepared

__all__ = ["CredentialsMixin"]


class CredentialsMixin:
    base_url: str
    _auth: Mapping[str, Auth]
    _fetches_tokens: bool

    def _apply_auth(
        self, endpoint: Endpoint, headers: Dict[str, str], params: List[Tuple[str, str]]
    ) -> bool:
        """The first security requirement whose schemes all have credentials is applied; an
        empty requirement (optional security) only when none has.  False: the operation's
        security is not satisfied."""
        optional = not endpoint.security
        for requirement in endpoint.security:
            if not requirement:
                optional = True
                continue
            schemes = [self._auth.get(key) for key in requirement]
            if None in schemes:
                continue
            trial_headers: Dict[str, str] = {}
            trial_params: List[Tuple[str, str]] = []
            for scheme in schemes:
                if scheme is None or not scheme.apply(trial_headers, trial_params):
                    break
            else:
                headers.update(trial_headers)
                params.extend(trial_params)
                return True
        return optional

    def _check_credentials(
        self, endpoint: Endpoint, headers: Dict[str, str], params: List[Tuple[str, str]]
    ) -> None:
        """Raise before sending when the operation needs credentials the client was not given
        (unless the caller set them in headers, ``default_headers`` or ``extra_headers``)."""
        options = []
        for requirement in endpoint.security:
            schemes = [self._auth.get(key) for key in requirement]
            if all(s is not None and s.present(headers, params) for s in schemes):
                return
            options.append(" and ".join(s.hint or "credentials" for s in schemes if s is not None))
        listed = "; or ".join(o for o in options if o)
        request = httpx.Request(endpoint.verb, self.base_url + endpoint.path)
        raise MissingCredentialsError(
            f"{endpoint.verb} {endpoint.path} needs credentials the client was not given: "
            f"{listed}",
            request,
        )

    def _token_auths(self, endpoint: Endpoint) -> List[Any]:
        """OAuth2 client credentials this call uses: their tokens are fetched before sending."""
        if not self._fetches_tokens:
            return []
        from ._oauth import token_auths

        return token_auths(self._auth, endpoint.security)

    def _reauthorize(self, prepared: Prepared, auths: List[Any]) -> None:
        """After a new token was fetched: the request carries it."""
        self._apply_auth(prepared.endpoint, prepared.headers, [])
