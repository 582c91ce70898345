"""The runtime's event-stream parser against the WHATWG rules, table-driven: each case is the
bytes a server sends (split into chunks at awkward places) and the events a browser's
EventSource would dispatch."""

from __future__ import annotations

import pytest

from generator.runtime._sse import ServerSentEvent, SSEDecoder


def E(data: str, event: str = "message", id: str = "", retry: int | None = None) -> ServerSentEvent:
    return ServerSentEvent(event, data, id, retry)


CASES: list[tuple[str, bytes, list[ServerSentEvent]]] = [
    ("one event", b"data: hello\n\n", [E("hello")]),
    ("multi-line data joined with LF", b"data: a\ndata: b\ndata\n\n", [E("a\nb\n")]),
    ("only one leading space removed", b"data:  two\ndata:none\n\n", [E(" two\nnone")]),
    ("event names the type", b"event: add\ndata: 1\n\n", [E("1", "add")]),
    ("type resets after dispatch", b"event: add\ndata: 1\n\ndata: 2\n\n", [E("1", "add"), E("2")]),
    ("id is kept for later events", b"id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n", [E("a", id="7"), E("b", id="7"), E("c")]),
    ("id with NUL ignored", b"id: 1\ndata: a\n\nid: x\x00y\ndata: b\n\n", [E("a", id="1"), E("b", id="1")]),
    ("retry digits only", b"retry: 1500\ndata: a\n\nretry: 1x\ndata: b\n\n", [E("a", retry=1500), E("b")]),
    ("comments and heartbeats", b": ping\n\n:\ndata: a\n: mid\n\n", [E("a")]),
    ("empty data buffer dispatches nothing", b"event: ping\n\nid: 3\n\n", []),
    ("empty data line dispatches empty data", b"data\n\n", [E("")]),
    ("CRLF line ends", b"data: a\r\ndata: b\r\n\r\n", [E("a\nb")]),
    ("CR line ends", b"data: a\rdata: b\r\r", [E("a\nb")]),
    ("mixed line ends", b"data: a\rdata: b\ndata: c\r\n\n", [E("a\nb\nc")]),
    ("leading BOM dropped", b"\xef\xbb\xbfdata: a\n\n", [E("a")]),
    ("only the first BOM is dropped", b"\xef\xbb\xbf\xef\xbb\xbfdata: a\n\ndata: b\n\n", [E("b")]),
    ("unknown fields ignored", b"foo: bar\ndata: a\n\n", [E("a")]),
    ("field without colon has empty value", b"event\ndata: a\n\n", [E("a")]),
    ("colon in value kept", b"data: {\"a\": \"b:c\"}\n\n", [E('{"a": "b:c"}')]),
    ("incomplete event at end discarded", b"data: a\n\ndata: b\n", [E("a")]),
    ("utf-8 across chunks", "data: é→😀\n\n".encode(), [E("é→😀")]),
]


def _chunked(raw: bytes, size: int) -> list[bytes]:
    return [raw[i : i + size] for i in range(0, len(raw), size)] or [b""]


@pytest.mark.parametrize(("raw", "expected"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
@pytest.mark.parametrize("size", [1, 2, 3, 1000])
def test_event_stream_rules(raw: bytes, expected: list[ServerSentEvent], size: int) -> None:
    decoder = SSEDecoder()
    events = [e for chunk in _chunked(raw, size) for e in decoder.feed(chunk)]
    events += decoder.end()
    assert events == expected


def test_crlf_split_between_chunks_is_one_line_end() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\r") == []
    assert decoder.feed(b"\ndata: b\r") == []
    assert decoder.feed(b"\n\r\n") == [E("a\nb")]


def test_incomplete_is_reported_only_inside_an_event() -> None:
    cut = SSEDecoder()
    cut.feed(b"data: a\n\nevent: x\ndata: {\"par")
    cut.end()
    assert cut.incomplete
    whole = SSEDecoder()
    whole.feed(b"data: a\n\n: trailing comment")
    whole.end()
    assert not whole.incomplete


def test_reconnection_time_is_kept_for_the_stream() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"retry: 250\n\n")
    assert decoder.reconnection_time == 250
