"""Cursor pagination: a list operation that takes a cursor and answers with the next one
returns a pager.

``for item in client.things.list():`` walks every item of every page; ``.iter_pages()``
gives the pages themselves (the operation's response model).  Nothing is requested until
the pager is iterated, and each iteration starts again from the first page.  The walk
follows the next cursor whatever a page holds (a page with no items but a next cursor is
not the end) and stops only when the next cursor is missing or empty.  A server that sends
back a cursor it already sent would make the walk loop: the pager raises
``PaginationLoopError`` instead, after yielding the items of every page it fetched once.
"""

from __future__ import annotations

from typing import (
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Generic,
    Iterator,
    List,
    Optional,
    Sequence,
    Set,
    Tuple,
    TypeVar,
)

import httpx

from ._base_client import PAGE_RESPONSES
from ._exceptions import PaginationLoopError

__all__ = ["AsyncPager", "SyncPager"]

_ItemT = TypeVar("_ItemT")
_PageT = TypeVar("_PageT")


class _Pager(Generic[_ItemT, _PageT]):
    def __init__(self, *, items: str, next_cursor: Sequence[str]) -> None:
        self._items_attr = items
        self._next_path: Tuple[str, ...] = tuple(next_cursor)

    def _items(self, page: _PageT) -> List[_ItemT]:
        values = getattr(page, self._items_attr, None)
        return list(values) if values else []

    def _next(
        self,
        page: _PageT,
        seen: Set[str],
        responses: List[httpx.Response],
    ) -> Optional[str]:
        """The cursor of the page after ``page`` (None: the last page); a cursor already in
        ``seen`` raises.  ``responses``: the one ``page`` was parsed from."""
        value: Any = page
        for attr in self._next_path:
            value = getattr(value, attr, None)
            if value is None:
                return None
        if not isinstance(value, str) or not value:
            return None
        if value in seen:
            if not responses:  # a fetch that did not go through the client: no response
                raise RuntimeError(f"pagination loop: the next-page cursor {value!r} repeats")
            raise PaginationLoopError(responses[-1], page, cursor=value, pages=len(seen) + 1)
        seen.add(value)
        return value

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class SyncPager(_Pager[_ItemT, _PageT]):
    """Every item of a cursor-paginated list, fetched page by page as you iterate."""

    def __init__(
        self,
        fetch: Callable[[Optional[str]], _PageT],
        *,
        items: str,
        next_cursor: Sequence[str],
    ) -> None:
        super().__init__(items=items, next_cursor=next_cursor)
        self._fetch = fetch

    def first_page(self) -> _PageT:
        """Fetch only the first page."""
        return self._fetch(None)

    def _fetch_page(self, cursor: Optional[str]) -> Tuple[_PageT, List[httpx.Response]]:
        responses: List[httpx.Response] = []
        token = PAGE_RESPONSES.set(responses)
        try:
            return self._fetch(cursor), responses
        finally:
            PAGE_RESPONSES.reset(token)

    def iter_pages(self) -> Iterator[_PageT]:
        """Every page, starting from the first (or from the cursor given to the call)."""
        cursor: Optional[str] = None
        seen: Set[str] = set()
        while True:
            page, responses = self._fetch_page(cursor)
            yield page
            cursor = self._next(page, seen, responses)
            if cursor is None:
                return

    def __iter__(self) -> Iterator[_ItemT]:
        for page in self.iter_pages():
            yield from self._items(page)


class AsyncPager(_Pager[_ItemT, _PageT]):
    """Every item of a cursor-paginated list, for ``async for``."""

    def __init__(
        self,
        fetch: Callable[[Optional[str]], Awaitable[_PageT]],
        *,
        items: str,
        next_cursor: Sequence[str],
    ) -> None:
        super().__init__(items=items, next_cursor=next_cursor)
        self._fetch = fetch

    async def first_page(self) -> _PageT:
        """Fetch only the first page."""
        return await self._fetch(None)

    async def _fetch_page(self, cursor: Optional[str]) -> Tuple[_PageT, List[httpx.Response]]:
        responses: List[httpx.Response] = []
        token = PAGE_RESPONSES.set(responses)
        try:
            return await self._fetch(cursor), responses
        finally:
            PAGE_RESPONSES.reset(token)

    async def iter_pages(self) -> AsyncIterator[_PageT]:
        """Every page, starting from the first (or from the cursor given to the call)."""
        cursor: Optional[str] = None
        seen: Set[str] = set()
        while True:
            page, responses = await self._fetch_page(cursor)
            yield page
            cursor = self._next(page, seen, responses)
            if cursor is None:
                return

    async def __aiter__(self) -> AsyncIterator[_ItemT]:
        async for page in self.iter_pages():
            for item in self._items(page):
                yield item
