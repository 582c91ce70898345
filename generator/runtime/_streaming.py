"""Server-sent event streams: ``for event in client.res.op(...)`` (``Stream``) and
``async for event in await client.res.op(...)`` (``AsyncStream``).

Each event's ``data`` is decoded (JSON unless the spec types it as text) and validated as the
operation's event type.  When the spec describes the whole event (``event``, ``data``, ``id``,
``retry``: the OpenAPI 3.2 ``itemSchema`` form), the value validated is that object, so a union
of event shapes is told apart by the event name.  A ``[DONE]`` sentinel (or the one the spec
names) ends the stream; comments and heartbeats are skipped.  The connection is released when
iteration ends, stops early (``break``), or the ``with`` block exits.

Failures: a read that fails before the first event is retried like the request (when the
request may be retried); after an event was delivered the error is raised, never hidden by a
silent retry.  Malformed data and a stream cut inside an event are typed errors.
"""

from __future__ import annotations

import json
from typing import (
    Any,
    AsyncIterator,
    Awaitable,
    Callable,
    Dict,
    Generic,
    Iterator,
    Optional,
    Tuple,
    TypeVar,
)

import httpx

from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStreamError,
    APITimeoutError,
)
from ._serde import describe_validation_error, is_validation_error, validate_as
from ._sse import ServerSentEvent, SSEDecoder

__all__ = ["AsyncStream", "Events", "Stream", "open_events"]

_T = TypeVar("_T")

_SKIP = object()
_STOP = object()


class Events:
    """What the spec says about an operation's events; generated once per operation.

    ``envelope``: the event type describes the whole event (its ``event``/``data``/``id``/
    ``retry`` fields), else only the decoded ``data``; ``json_data``: ``data`` is JSON;
    ``sentinel``: the data that ends the stream; ``names``: the event names the spec declares
    (others, heartbeats, are skipped; an undeclared ``error`` event raises); ``text_names``:
    the events among them whose data is text even though others carry JSON.
    """

    __slots__ = ("envelope", "json_data", "sentinel", "names", "text_names")

    def __init__(
        self,
        *,
        envelope: bool = False,
        json_data: bool = True,
        sentinel: Optional[str] = "[DONE]",
        names: Tuple[str, ...] = (),
        text_names: Tuple[str, ...] = (),
    ) -> None:
        self.envelope = envelope
        self.json_data = json_data
        self.sentinel = sentinel
        self.names = names
        self.text_names = text_names


DEFAULT_EVENTS = Events()


class _BaseStream(Generic[_T]):
    def __init__(
        self,
        response: httpx.Response,
        item_type: Any,
        events: Optional[Events] = None,
        *,
        reopen: Optional[Callable[[], Any]] = None,
        retries: int = 0,
    ) -> None:
        self.response = response
        self._item_type = item_type
        self._events = events or DEFAULT_EVENTS
        self._reopen = reopen
        self._retries = retries
        self.delivered = 0  # events yielded so far
        self._iterator: Optional[Iterator[_T]] = None  # next(stream) reads through this one
        self._aiterator: Optional[AsyncIterator[_T]] = None

    def _value(self, sse: ServerSentEvent) -> Any:
        spec = self._events
        if spec.sentinel is not None and sse.data.strip() == spec.sentinel:
            return _STOP
        if spec.names and sse.event not in spec.names or not spec.envelope and sse.event == "error":
            if sse.event == "error":
                raise APIStreamError(self.response, sse.data, event=sse)
            return _SKIP
        data: Any = sse.data
        if spec.json_data and sse.event not in spec.text_names:
            try:
                data = json.loads(data)
            except ValueError as exc:
                raise APIResponseValidationError(
                    self.response,
                    sse.data,
                    message=f"event {self.delivered + 1} ({sse.event}): data is not JSON: {exc}",
                ) from None
        if spec.envelope:
            envelope: Dict[str, Any] = {"event": sse.event, "data": data}
            if sse.id:
                envelope["id"] = sse.id
            if sse.retry is not None:
                envelope["retry"] = sse.retry
            data = envelope
        if self._item_type is None:
            return data
        try:
            return validate_as(self._item_type, data)
        except ValueError as exc:
            if not is_validation_error(exc):
                raise
            raise APIResponseValidationError(
                self.response,
                data,
                message=f"event {self.delivered + 1} ({sse.event}): "
                + describe_validation_error(exc),
            ) from exc

    def _may_retry(self) -> bool:
        return self.delivered == 0 and self._reopen is not None and self._retries > 0

    def _failed(self, exc: Exception) -> Exception:
        request = self.response.request
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(request)
        return APIConnectionError(
            message=f"the stream broke after {self.delivered} event(s): {exc or type(exc).__name__}",
            request=request,
        )

    def _cut(self) -> Exception:
        return APIConnectionError(
            message=f"the stream ended in the middle of an event (after {self.delivered} event(s))",
            request=self.response.request,
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.response.request.method} {self.response.request.url.path}>"


class Stream(_BaseStream[_T]):
    """The events of a ``text/event-stream`` response, parsed as they arrive."""

    def __iter__(self) -> Iterator[_T]:
        try:
            while True:
                try:
                    for value in self._read():
                        yield value
                    return
                except httpx.TransportError as exc:
                    if not self._may_retry():
                        raise self._failed(exc) from exc
                    self._retries -= 1
                    self.response.close()
                    self.response = self._reopen()  # type: ignore[misc]
        finally:
            self.close()

    def _read(self) -> Iterator[_T]:
        decoder = SSEDecoder()
        for chunk in self.response.iter_bytes():
            for sse in decoder.feed(chunk):
                value = self._value(sse)
                if value is _STOP:
                    return
                if value is not _SKIP:
                    self.delivered += 1
                    yield value
        decoder.end()
        if decoder.incomplete:
            raise self._cut()

    def __next__(self) -> _T:
        if self._iterator is None:
            self._iterator = self.__iter__()
        return next(self._iterator)

    def close(self) -> None:
        """Release the connection (unread events are dropped)."""
        self.response.close()

    def __enter__(self) -> "Stream[_T]":
        return self

    def __exit__(self, *args: object) -> None:
        self.close()


class AsyncStream(_BaseStream[_T]):
    """The events of a ``text/event-stream`` response, parsed as they arrive."""

    async def __aiter__(self) -> AsyncIterator[_T]:
        try:
            while True:
                try:
                    async for value in self._read():
                        yield value
                    return
                except httpx.TransportError as exc:
                    if not self._may_retry():
                        raise self._failed(exc) from exc
                    self._retries -= 1
                    await self.response.aclose()
                    reopen: Callable[[], Awaitable[httpx.Response]] = self._reopen  # type: ignore[assignment]
                    self.response = await reopen()
        finally:
            await self.close()

    async def _read(self) -> AsyncIterator[_T]:
        decoder = SSEDecoder()
        async for chunk in self.response.aiter_bytes():
            for sse in decoder.feed(chunk):
                value = self._value(sse)
                if value is _STOP:
                    return
                if value is not _SKIP:
                    self.delivered += 1
                    yield value
        decoder.end()
        if decoder.incomplete:
            raise self._cut()

    async def __anext__(self) -> _T:
        if self._aiterator is None:
            self._aiterator = self.__aiter__()
        return await self._aiterator.__anext__()

    async def close(self) -> None:
        """Release the connection (unread events are dropped)."""
        await self.response.aclose()

    async def __aenter__(self) -> "AsyncStream[_T]":
        return self

    async def __aexit__(self, *args: object) -> None:
        await self.close()


def open_events(
    cls: Any,
    raw_cls: Any,
    prepared: Any,
    response: httpx.Response,
    event_type: Any,
    may_retry: bool,
    reopen: Callable[[], Any],
) -> Any:
    """The stream of a call's events (its raw response when the call asked for one); a failure
    before the first event re-sends the request when the request may be repeated."""
    retries = prepared.max_retries if may_retry else 0
    events = cls(response, event_type, prepared.endpoint.events, retries=retries, reopen=reopen)
    return raw_cls(response, lambda: events) if prepared.raw else events
