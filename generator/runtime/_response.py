"""Raw responses: ``client.models.with_raw_response.get(id)`` gives status, headers and the
parsed body on demand.

Streamed responses: ``with client.files.with_streaming_response.download(id) as response:``
sends the request and hands over the response before its body is read: iterate it
(``iter_bytes()``, ``iter_text()``, ``iter_lines()``), write it to a file (``write_to_file``),
or ``parse()`` it; the connection is released when the block exits.  The body is never held
in memory unless you ask for it.
"""

from __future__ import annotations

import os
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Dict,
    Generic,
    Iterator,
    Mapping,
    Optional,
    TypeVar,
    Union,
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
    "AsyncResponseContextManager",
    "AsyncStreamedAPIResponse",
    "ResponseContextManager",
    "StreamedAPIResponse",
    "async_to_raw_page_wrapper",
    "async_to_raw_response_wrapper",
    "async_to_streamed_page_wrapper",
    "async_to_streamed_response_wrapper",
    "to_raw_page_wrapper",
    "to_raw_response_wrapper",
    "to_streamed_page_wrapper",
    "to_streamed_response_wrapper",
]

RAW_RESPONSE_HEADER = "X-Sdk-Raw-Response"
STREAM_RESPONSE_HEADER = "X-Sdk-Stream-Response"

_T = TypeVar("_T")
_PageT = TypeVar("_PageT")
_R = TypeVar("_R")
PathLike = Union[str, "os.PathLike[str]"]


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


class StreamedAPIResponse(APIResponse[_T]):
    """A response whose body is read only as you ask: in chunks, to a file, or whole."""

    @property
    def content(self) -> bytes:
        return self.http_response.read()

    def read(self) -> bytes:
        return self.http_response.read()

    def iter_bytes(self, chunk_size: Optional[int] = None) -> Iterator[bytes]:
        return self.http_response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: Optional[int] = None) -> Iterator[str]:
        return self.http_response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        return self.http_response.iter_lines()

    def write_to_file(self, file: PathLike, chunk_size: Optional[int] = None) -> None:
        """Write the body to ``file`` chunk by chunk (never whole in memory)."""
        with open(file, "wb") as out:
            for chunk in self.http_response.iter_bytes(chunk_size):
                out.write(chunk)

    def parse(self) -> _T:
        self.http_response.read()
        return super().parse()

    def close(self) -> None:
        self.http_response.close()


class AsyncStreamedAPIResponse(Generic[_T]):
    """A response whose body is read only as you ask: in chunks, to a file, or whole."""

    def __init__(self, http_response: httpx.Response, parser: Callable[[], Any]) -> None:
        self.http_response = http_response
        self._parser = parser

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    async def read(self) -> bytes:
        return await self.http_response.aread()

    def iter_bytes(self, chunk_size: Optional[int] = None) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes(chunk_size)

    def iter_text(self, chunk_size: Optional[int] = None) -> AsyncIterator[str]:
        return self.http_response.aiter_text(chunk_size)

    def iter_lines(self) -> AsyncIterator[str]:
        return self.http_response.aiter_lines()

    async def write_to_file(self, file: PathLike, chunk_size: Optional[int] = None) -> None:
        """Write the body to ``file`` chunk by chunk (never whole in memory)."""
        with open(file, "wb") as out:
            async for chunk in self.http_response.aiter_bytes(chunk_size):
                out.write(chunk)

    async def parse(self) -> _T:
        await self.http_response.aread()
        return cast(_T, self._parser())

    async def close(self) -> None:
        await self.http_response.aclose()

    def __repr__(self) -> str:
        request = self.http_response.request
        return f"<{type(self).__name__} [{self.status_code}] {request.method} {request.url.path}>"


class ResponseContextManager(Generic[_R]):
    """``with ... as response:`` sends the request on entry and closes the response on exit."""

    def __init__(self, send: Callable[[], _R]) -> None:
        self._send = send
        self._response: Optional[_R] = None

    def __enter__(self) -> _R:
        self._response = self._send()
        return self._response

    def __exit__(self, *args: object) -> None:
        if self._response is not None:
            cast(Any, self._response).close()


class AsyncResponseContextManager(Generic[_R]):
    """``async with ... as response:`` sends the request on entry, closes the response on exit."""

    def __init__(self, send: Awaitable[_R]) -> None:
        self._send = send
        self._response: Optional[_R] = None

    async def __aenter__(self) -> _R:
        self._response = await self._send
        return self._response

    async def __aexit__(self, *args: object) -> None:
        if self._response is not None:
            await cast(Any, self._response).close()


def _with_marker(kwargs: Dict[str, Any]) -> Dict[str, Any]:
    headers: Mapping[str, Any] = kwargs.get("extra_headers") or {}
    return {**kwargs, "extra_headers": {**headers, RAW_RESPONSE_HEADER: "true"}}


def _with_stream_marker(kwargs: Dict[str, Any]) -> Dict[str, Any]:
    headers: Mapping[str, Any] = kwargs.get("extra_headers") or {}
    marked = {RAW_RESPONSE_HEADER: "true", STREAM_RESPONSE_HEADER: "true"}
    return {**kwargs, "extra_headers": {**headers, **marked}}


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


def to_streamed_response_wrapper(
    func: Callable[_P, _T],
) -> Callable[_P, ResponseContextManager[StreamedAPIResponse[_T]]]:
    def wrapped(
        *args: _P.args, **kwargs: _P.kwargs
    ) -> ResponseContextManager[StreamedAPIResponse[_T]]:
        marked = _with_stream_marker(kwargs)
        return ResponseContextManager(lambda: cast(StreamedAPIResponse[_T], func(*args, **marked)))

    return wrapped


def async_to_streamed_response_wrapper(
    func: Callable[_P, Awaitable[_T]],
) -> Callable[_P, AsyncResponseContextManager[AsyncStreamedAPIResponse[_T]]]:
    def wrapped(
        *args: _P.args, **kwargs: _P.kwargs
    ) -> AsyncResponseContextManager[AsyncStreamedAPIResponse[_T]]:
        send = cast(
            Awaitable[AsyncStreamedAPIResponse[_T]], func(*args, **_with_stream_marker(kwargs))
        )
        return AsyncResponseContextManager(send)

    return wrapped


def to_streamed_page_wrapper(
    func: Callable[_P, SyncPager[Any, _PageT]],
) -> Callable[_P, ResponseContextManager[StreamedAPIResponse[_PageT]]]:
    """For a paginated method: the first page's response, streamed."""

    def wrapped(
        *args: _P.args, **kwargs: _P.kwargs
    ) -> ResponseContextManager[StreamedAPIResponse[_PageT]]:
        marked = _with_stream_marker(kwargs)
        return ResponseContextManager(
            lambda: cast(StreamedAPIResponse[_PageT], func(*args, **marked).first_page())
        )

    return wrapped


def async_to_streamed_page_wrapper(
    func: Callable[_P, AsyncPager[Any, _PageT]],
) -> Callable[_P, AsyncResponseContextManager[AsyncStreamedAPIResponse[_PageT]]]:
    def wrapped(
        *args: _P.args, **kwargs: _P.kwargs
    ) -> AsyncResponseContextManager[AsyncStreamedAPIResponse[_PageT]]:
        pager = func(*args, **_with_stream_marker(kwargs))
        send = cast(Awaitable[AsyncStreamedAPIResponse[_PageT]], pager.first_page())
        return AsyncResponseContextManager(send)

    return wrapped
