"""Server-sent event streams, end to end: a spec generated into a temp dir, its SDK driven
against a real HTTP server on 127.0.0.1 that writes events as they are produced."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import minimal
from tests.support.streaming_server import Reply, Seen, serve

CHUNK = {"type": "object", "required": ["delta"], "properties": {"delta": {"type": "string"}}}
COMPLETION = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}
TICK = {"type": "object", "required": ["n"], "properties": {"n": {"type": "integer"}}}


def _chat_spec() -> dict[str, Any]:
    """JSON or a stream, chosen by ``stream``; a 3.2 itemSchema envelope union; a plain-text stream."""
    body = {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["prompt"],
                    "properties": {"prompt": {"type": "string"}, "stream": {"type": "boolean"}},
                }
            }
        },
    }
    chat = {
        "200": {
            "description": "ok",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Completion"}},
                "text/event-stream": {"schema": {"$ref": "#/components/schemas/Chunk"}},
            },
        }
    }
    envelope = {
        "type": "object",
        "required": ["event"],
        "properties": {"event": {"type": "string"}, "data": {"type": "string"}, "id": {"type": "string"}},
        "oneOf": [
            {
                "properties": {
                    "event": {"const": "tick"},
                    "data": {"contentMediaType": "application/json", "contentSchema": {"$ref": "#/components/schemas/Tick"}},
                }
            },
            {"properties": {"event": {"const": "note"}, "data": {"type": "string"}}},
        ],
    }
    ticks = {"200": {"description": "ok", "content": {"text/event-stream": {"itemSchema": envelope}}}}
    lines = {"200": {"description": "ok", "content": {"text/event-stream": {"schema": {"type": "string"}}}}}
    paths = {
        "/chat": {"post": {"operationId": "chat_create", "tags": ["chat"], "requestBody": body, "responses": chat}},
        "/ticks": {"get": {"operationId": "ticks_list", "tags": ["ticks"], "responses": ticks}},
        "/lines": {"get": {"operationId": "lines_get", "tags": ["lines"], "responses": lines}},
    }
    return minimal(paths, {"Chunk": CHUNK, "Completion": COMPLETION, "Tick": TICK}, version="3.2.0")


def sse(*events: str) -> list[bytes | None]:
    return [e.encode() for e in events]


def _route(seen: Seen) -> Reply:
    if seen.path == "/chat":
        if json.loads(seen.body).get("stream") is True:
            assert seen.headers["accept"] == "text/event-stream"
            return Reply(chunks=sse(": keep-alive\n\n", 'data: {"delta": "Hel"}\n\n', 'data: {"delta": "lo"}\r\n\r\n', "data: [DONE]\n\n", 'data: {"delta": "never"}\n\n'))
        return Reply(headers={"Content-Type": "application/json"}, chunks=[b'{"text": "Hello"}'])
    if seen.path == "/ticks":
        return Reply(chunks=sse("event: tick\nid: 1\ndata: {\"n\": 1}\n\n", "event: ping\ndata: \n\n", "event: note\ndata: half\ndata: way\n\n", 'event: tick\ndata: {"n": 2}\n\n'))
    if seen.path == "/lines":
        return Reply(chunks=sse("data: plain text\n\n", "data: [DONE]\n\n"))
    raise AssertionError(seen.path)


@pytest.fixture
def chat(generated: Any) -> Iterator[tuple[Any, str, Any]]:
    pkg, _ = generated(_chat_spec(), client_name="Client")
    with serve(_route) as (url, state):
        yield pkg, url, state


def test_sync_stream_typed_events_and_overloads(chat: tuple[Any, str, Any]) -> None:
    pkg, url, _ = chat
    client = pkg.Client(base_url=url)
    completion = client.chat.create(prompt="hi")
    assert type(completion).__name__ == "Completion" and completion.text == "Hello"
    stream = client.chat.create(prompt="hi", stream=True)
    assert type(stream).__name__ == "Stream"
    deltas = [chunk.delta for chunk in stream]  # the comment skipped, [DONE] ends it
    assert deltas == ["Hel", "lo"]
    events = list(client.ticks.list())
    assert [(e.event, e.data) for e in events[::2]] == [("tick", pkg.types.Tick(n=1)), ("tick", pkg.types.Tick(n=2))]
    assert events[0].id == "1" and (events[1].event, events[1].data) == ("note", "half\nway")  # ping skipped
    assert list(client.lines.get()) == ["plain text"]
    stream = client.chat.create(prompt="hi", stream=True)
    assert next(stream).delta == "Hel" and next(stream).delta == "lo"
    with pytest.raises(StopIteration):
        next(stream)


def test_async_stream_typed_events(chat: tuple[Any, str, Any]) -> None:
    pkg, url, _ = chat

    async def main() -> tuple[list[str], list[Any], Any]:
        async with pkg.AsyncClient(base_url=url) as client:
            deltas = [c.delta async for c in await client.chat.create(prompt="hi", stream=True)]
            stream = await client.chat.create(prompt="hi", stream=True)
            assert (await stream.__anext__()).delta == "Hel"
            await stream.close()
            ticks = [e async for e in await client.ticks.list()]
            return deltas, ticks, await client.chat.create(prompt="hi")

    deltas, ticks, completion = asyncio.run(main())
    assert deltas == ["Hel", "lo"] and [t.event for t in ticks] == ["tick", "note", "tick"]
    assert completion.text == "Hello"


def test_overloads_and_stream_types_are_declared(chat: tuple[Any, str, Any]) -> None:
    pkg, _, _ = chat
    import importlib
    import typing

    module = importlib.import_module(pkg.__name__ + ".resources.chat")
    for cls, stream in ((module.ChatResource, "Stream"), (module.AsyncChatResource, "AsyncStream")):
        on, off = typing.get_overloads(cls.create)
        assert on.__annotations__["stream"] == "Literal[True]" and on.__annotations__["return"] == f"{stream}[types.Chunk]"
        assert off.__annotations__["return"] == "types.Completion"


def _endless(seen: Seen) -> Reply:
    def chunks() -> Iterator[bytes | None]:
        n = 0
        while True:
            n += 1
            yield f'data: {{"delta": "{n}"}}\n\n'.encode()
            time.sleep(0.01)

    return Reply(chunks=chunks())


def test_early_break_and_with_block_release_the_connection(generated: Any) -> None:
    pkg, _ = generated(_chat_spec(), client_name="Client")
    with serve(_endless) as (url, state):
        client = pkg.Client(base_url=url)
        for chunk in client.chat.create(prompt="x", stream=True):
            if chunk.delta == "3":
                break
        assert state.client_gone.wait(5), "the server kept writing to a connection the client left"
        state.client_gone.clear()
        with client.chat.create(prompt="x", stream=True) as stream:
            assert next(iter(stream)).delta == "1"
        assert state.client_gone.wait(5)
        state.client_gone.clear()

        async def main() -> None:
            client = pkg.AsyncClient(base_url=url)
            async with await client.chat.create(prompt="x", stream=True) as stream:
                async for chunk in stream:
                    assert chunk.delta == "1"
                    break
            assert await asyncio.to_thread(state.client_gone.wait, 5)
            state.client_gone.clear()
            async for chunk in await client.chat.create(prompt="x", stream=True):
                if chunk.delta == "2":
                    break
            for _ in range(20):  # the async generator is closed by the event loop's finalizer
                await asyncio.sleep(0.01)
            assert await asyncio.to_thread(state.client_gone.wait, 5)
            await client.close()

        asyncio.run(main())


def test_bad_streams_give_typed_errors(generated: Any) -> None:
    pkg, _ = generated(_chat_spec(), client_name="Client")
    replies = {
        "bad-json": sse('data: {"delta": "ok"}\n\n', "data: {not json\n\n"),
        "wrong-shape": sse('data: {"delta": 5}\n\n'),
        "cut": [b'data: {"delta": "ok"}\n\n', b'data: {"del', None],
        "cut-clean": sse('data: {"delta": "ok"}\n\n', 'data: {"delta"'),
        "error-event": sse('data: {"delta": "ok"}\n\n', 'event: error\ndata: {"message": "overloaded"}\n\n'),
    }
    current = {"name": ""}
    with serve(lambda seen: Reply(chunks=replies[current["name"]])) as (url, _):
        client = pkg.Client(base_url=url, max_retries=0)
        expected = {
            "bad-json": (pkg.APIResponseValidationError, "data is not JSON"),
            "wrong-shape": (pkg.APIResponseValidationError, "delta"),
            "cut": (pkg.APIConnectionError, "after 1 event"),
            "cut-clean": (pkg.APIConnectionError, "middle of an event"),
            "error-event": (pkg.APIStreamError, "overloaded"),
        }
        for name, (error, text) in expected.items():
            current["name"] = name
            got: list[str] = []
            with pytest.raises(error, match=text):
                for chunk in client.chat.create(prompt="x", stream=True):
                    got.append(chunk.delta)
            assert got == ([] if name == "wrong-shape" else ["ok"]), name


def test_a_stream_failing_before_its_first_event_is_retried_after_events_it_is_not(generated: Any) -> None:
    pkg, _ = generated(_chat_spec(), client_name="Client")
    attempts = {"n": 0}

    def route(seen: Seen) -> Reply:
        attempts["n"] += 1
        if attempts["n"] == 1:
            return Reply(chunks=[b": hello\n\n", None])  # cut before any event
        if attempts["n"] == 2:
            return Reply(chunks=[b"data: one\n\n", None])  # cut after one event
        return Reply(chunks=sse("data: never\n\n"))

    with serve(route) as (url, _state):
        client = pkg.Client(base_url=url, max_retries=2)
        got: list[str] = []
        with pytest.raises(pkg.APIConnectionError, match="after 1 event"):
            for line in client.lines.get():
                got.append(line)
        assert got == ["one"] and attempts["n"] == 2  # retried once, then the error surfaced


def test_a_read_timeout_applies_per_read(generated: Any) -> None:
    pkg, _ = generated(_chat_spec(), client_name="Client")

    def slow(seen: Seen) -> Reply:
        def chunks() -> Iterator[bytes | None]:
            for n in range(3):
                yield f"data: {n}\n\n".encode()
                time.sleep(0.15)  # each read well within the timeout, the whole stream not
            time.sleep(2)
            yield b"data: late\n\n"

        return Reply(chunks=chunks())

    with serve(slow) as (url, _):
        client = pkg.Client(base_url=url, max_retries=0, timeout=httpx.Timeout(0.4))
        got: list[str] = []
        with pytest.raises(pkg.APITimeoutError):
            for line in client.lines.get():
                got.append(line)
        assert got == ["0", "1", "2"]


def test_json_and_stream_without_a_stream_field_is_warned(generated: Any) -> None:
    both = {
        "200": {
            "description": "ok",
            "content": {"application/json": {"schema": COMPLETION}, "text/event-stream": {"schema": CHUNK}},
        }
    }
    _, result = generated(minimal({"/x": {"get": {"operationId": "get_x", "responses": both}}}))
    assert any("text/event-stream response is not generated" in d.message for d in result.diagnostics)


def test_raw_and_streaming_responses_of_a_stream(chat: tuple[Any, str, Any]) -> None:
    pkg, url, _ = chat
    client = pkg.Client(base_url=url)
    raw = client.chat.with_raw_response.create(prompt="hi", stream=True)
    assert raw.headers["content-type"] == "text/event-stream"
    assert [c.delta for c in raw.parse()] == ["Hel", "lo"]
    with client.lines.with_streaming_response.get() as response:
        assert response.status_code == 200
        assert list(response.parse()) == ["plain text"]

    async def main() -> list[str]:
        client = pkg.AsyncClient(base_url=url)
        async with client.chat.with_streaming_response.create(prompt="hi", stream=True) as response:
            deltas = [c.delta async for c in await response.parse()]
        await client.close()
        return deltas

    assert asyncio.run(main()) == ["Hel", "lo"]


def test_vendor_extensions_fern_streaming_and_speakeasy_sentinel(generated: Any) -> None:
    body = {
        "required": True,
        "content": {"application/json": {"schema": {"type": "object", "properties": {"q": {"type": "string"}, "stream": {"type": "boolean"}}}}},
    }
    fern = {
        "operationId": "ask",
        "tags": ["ai"],
        "x-fern-streaming": {"format": "sse", "stream-condition": "$request.stream", "response-stream": {"$ref": "#/components/schemas/Chunk"}},
        "requestBody": body,
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Completion"}}}}},
    }
    speakeasy = {
        "operationId": "tail",
        "tags": ["ai"],
        "responses": {
            "200": {
                "description": "ok",
                "content": {
                    "text/event-stream": {
                        "x-speakeasy-sse-sentinel": "END",
                        "schema": {"type": "object", "required": ["data"], "properties": {"id": {"type": "string"}, "data": {"$ref": "#/components/schemas/Chunk"}}},
                    }
                },
            }
        },
    }
    pkg, _ = generated(minimal({"/ask": {"post": fern}, "/tail": {"get": speakeasy}}, {"Chunk": CHUNK, "Completion": COMPLETION}), client_name="Client")

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/ask" and json.loads(request.content).get("stream"):
            return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=b'data: {"delta": "a"}\n\ndata: [DONE]\n\n')
        if request.url.path == "/ask":
            return httpx.Response(200, json={"text": "whole"})
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=b'id: 1\ndata: {"delta": "x"}\n\ndata: END\n\ndata: {"delta": "y"}\n\n')

    client = pkg.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    assert client.ai.ask(q="?").text == "whole"
    assert [c.delta for c in client.ai.ask(q="?", stream=True)] == ["a"]
    events = list(client.ai.tail())
    assert [(e.id, e.data.delta) for e in events] == [("1", "x")]  # the envelope, ended by END
