"""Credentials: one ``Auth`` per security scheme of the API; the client applies those an
operation accepts."""

from __future__ import annotations

from typing import Callable, Dict, List, Optional, Tuple, Union

import httpx

__all__ = ["ApiKeyAuth", "Auth", "BasicAuth", "BearerAuth"]


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
