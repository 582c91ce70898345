"""Credentials: one ``Auth`` per security scheme of the API; the client applies those an
operation accepts (``_oauth`` holds the one that fetches its own token)."""

from __future__ import annotations

from typing import Callable, Dict, List, Optional, Tuple, Union

import httpx

__all__ = ["ApiKeyAuth", "Auth", "BasicAuth", "BearerAuth"]


class Auth:
    """Credentials for one security scheme; ``apply`` says whether it had any to add.

    ``hint`` says how to give them (the constructor arguments, the environment variables), for
    the error raised when an operation needs them and they are missing."""

    fetches_tokens = False  # OAuth2 client credentials: the client fetches a token first

    def __init__(self, *, hint: str = "") -> None:
        self.hint = hint

    def apply(self, headers: Dict[str, str], params: List[Tuple[str, str]]) -> bool:
        raise NotImplementedError

    def configured(self) -> bool:
        """Whether the client was given this credential."""
        return True

    def present(self, headers: Dict[str, str], params: List[Tuple[str, str]]) -> bool:
        """Whether a request already carries this kind of credential (set by the caller)."""
        return any(k.lower() == "authorization" for k in headers)

    def secrets(self) -> List[str]:
        return []

    def __repr__(self) -> str:
        return f"{type(self).__name__}(<redacted>)"


class BearerAuth(Auth):
    def __init__(self, token: Union[str, Callable[[], str], None], *, hint: str = "") -> None:
        super().__init__(hint=hint)
        self._token = token

    def configured(self) -> bool:
        return bool(self._token)

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
    def __init__(self, username: Optional[str], password: Optional[str], *, hint: str = "") -> None:
        super().__init__(hint=hint)
        self._username = username
        self._password = password

    def configured(self) -> bool:
        return self._username is not None or self._password is not None

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
        self,
        name: str,
        location: str,
        value: Union[str, Callable[[], str], None],
        *,
        hint: str = "",
    ) -> None:
        super().__init__(hint=hint)
        self._name = name
        self._location = location
        self._raw = value

    def configured(self) -> bool:
        return bool(self._raw)

    def present(self, headers: Dict[str, str], params: List[Tuple[str, str]]) -> bool:
        if self._location == "query":
            return any(k == self._name for k, _ in params)
        if self._location == "cookie":
            cookie = next((v for k, v in headers.items() if k.lower() == "cookie"), "")
            return any(c.strip().startswith(self._name + "=") for c in cookie.split(";"))
        return any(k.lower() == self._name.lower() for k in headers)

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
