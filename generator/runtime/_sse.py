"""The ``text/event-stream`` wire format, parsed as the WHATWG HTML standard says
(https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation):

* the stream is UTF-8; one leading byte order mark is dropped;
* lines end with CRLF, LF or CR (a CR at the end of a chunk waits for the next one);
* an empty line dispatches the event; a line starting with ``:`` is a comment (heartbeat);
* ``field: value`` (one space after the colon removed), a line without a colon is a field
  with an empty value; ``data`` lines are joined with LF, ``event`` names the type
  (``message`` when not given), ``id`` sets the last event id (kept for the events after it;
  ignored if it holds NUL), ``retry`` is the reconnection time when all ASCII digits; other
  fields are ignored;
* an event whose data buffer is empty is not dispatched; an event not ended by an empty
  line when the stream ends is discarded (``SSEDecoder.incomplete`` says so).
"""

from __future__ import annotations

import codecs
import re
from typing import List, Optional

__all__ = ["SSEDecoder", "ServerSentEvent"]

_LINE_END = re.compile(r"\r\n|\r|\n")


class ServerSentEvent:
    """One dispatched event."""

    __slots__ = ("event", "data", "id", "retry")

    def __init__(self, event: str, data: str, id: str, retry: Optional[int]) -> None:
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ServerSentEvent):
            return NotImplemented
        return (self.event, self.data, self.id, self.retry) == (
            other.event,
            other.data,
            other.id,
            other.retry,
        )

    def __repr__(self) -> str:
        return (
            f"ServerSentEvent(event={self.event!r}, data={self.data!r}, id={self.id!r}, "
            f"retry={self.retry!r})"
        )


class SSEDecoder:
    """Incremental: ``feed(bytes)`` returns the events completed so far, ``end()`` those left
    when the stream ends."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._text = ""
        self._started = False
        self._data: List[str] = []
        self._event = ""
        self._last_id = ""
        self._retry: Optional[int] = None
        self.reconnection_time: Optional[int] = None  # the last ``retry`` the stream sent
        self._fields = False  # a field line since the last dispatch
        self.incomplete = False  # set by end(): the stream stopped inside an event

    def feed(self, chunk: bytes) -> List[ServerSentEvent]:
        return self._lines(self._decoder.decode(chunk), final=False)

    def end(self) -> List[ServerSentEvent]:
        events = self._lines(self._decoder.decode(b"", final=True), final=True)
        self.incomplete = self._fields
        return events

    def _lines(self, text: str, *, final: bool) -> List[ServerSentEvent]:
        if not self._started and text:
            self._started = True
            if text.startswith("\ufeff"):
                text = text[1:]
        buffer = self._text + text
        events: List[ServerSentEvent] = []
        pos = 0
        while True:
            match = _LINE_END.search(buffer, pos)
            if match is None:
                break
            if match.group() == "\r" and match.end() == len(buffer) and not final:
                break  # maybe the CR of a CRLF split between chunks
            event = self._line(buffer[pos : match.start()])
            if event is not None:
                events.append(event)
            pos = match.end()
        self._text = buffer[pos:]
        if final and self._text:  # a last line without its end: not a complete line
            self._fields = self._fields or not self._text.startswith(":")
            self._text = ""
        return events

    def _line(self, line: str) -> Optional[ServerSentEvent]:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        self._fields = True
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\0" not in value:
                self._last_id = value
        elif name == "retry" and value and all("0" <= c <= "9" for c in value):
            self._retry = self.reconnection_time = int(value)
        return None

    def _dispatch(self) -> Optional[ServerSentEvent]:
        self._fields = False
        data, event, retry = self._data, self._event, self._retry
        self._data, self._event, self._retry = [], "", None
        if not data:
            return None
        return ServerSentEvent(event or "message", "\n".join(data), self._last_id, retry)
