"""Raw responses: ``client.models.with_raw_response.get(id)`` gives status, headers and the
parsed body on demand.
"""

from __future__ import annotations

from typing import (
    TYPE_CHECKING,
    Any,
    Awaitable,
    Callable,
    Dict,
    Generic,
    Mapping,
    Optional,
    TypeVar,
    cast,
)

import httpx

if TYPE_CHECKING:  # annotations only: typing_extensions is not loaded by the SDK's import
    from typing_extensions import ParamSpec

    from .pagination import AsyncPager, SyncPager

    _P = ParamSpec("_P")

__all__ = [
    "APIResponse",
    "AsyncAPIResponse",
    "async_to_raw_page_wrapper",
    "async_to_raw_response_wrapper",
    "to_raw_page_wrapper",
    "to_raw_response_wrapper",
]

RAW_RESPONSE_HEADER = "X-Sdk-Raw-Response"

_T = TypeVar("_T")
_PageT = TypeVar("_PageT")


class APIResponse(Generic[_T]):
    """The HTTP response of a call, with the parsed body available through ``parse()``."""

    def __init__(self, http_response: httpx.Response, parser: Callable[[], Any]) -> None:
        self.http_response = http_response
        self._parser = parser
        self._parsed: Optional[Any] = None
        self._done = False

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def content(self) -> bytes:
        return self.http_response.content

    def parse(self) -> _T:
        if not self._done:
            self._parsed = self._parser()
            self._done = True
        return cast(_T, self._parsed)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] {self.http_response.request.method} {self.http_response.request.url.path}>"


class AsyncAPIResponse(APIResponse[_T]):
    pass


def _with_marker(kwargs: Dict[str, Any]) -> Dict[str, Any]:
    headers: Mapping[str, Any] = kwargs.get("extra_headers") or {}
    return {**kwargs, "extra_headers": {**headers, RAW_RESPONSE_HEADER: "true"}}


def to_raw_response_wrapper(func: Callable[_P, _T]) -> Callable[_P, APIResponse[_T]]:
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> APIResponse[_T]:
        return cast(APIResponse[_T], func(*args, **_with_marker(kwargs)))

    return wrapped


def async_to_raw_response_wrapper(
    func: Callable[_P, Awaitable[_T]],
) -> Callable[_P, Awaitable[AsyncAPIResponse[_T]]]:
    async def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> AsyncAPIResponse[_T]:
        return cast(AsyncAPIResponse[_T], await func(*args, **_with_marker(kwargs)))

    return wrapped


def to_raw_page_wrapper(
    func: Callable[_P, SyncPager[Any, _PageT]],
) -> Callable[_P, APIResponse[_PageT]]:
    """For a paginated method: the raw response of the first page."""

    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> APIResponse[_PageT]:
        return cast(APIResponse[_PageT], func(*args, **_with_marker(kwargs)).first_page())

    return wrapped


def async_to_raw_page_wrapper(
    func: Callable[_P, AsyncPager[Any, _PageT]],
) -> Callable[_P, Awaitable[AsyncAPIResponse[_PageT]]]:
    async def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> AsyncAPIResponse[_PageT]:
        pager = func(*args, **_with_marker(kwargs))
        return cast(AsyncAPIResponse[_PageT], await pager.first_page())

    return wrapped
