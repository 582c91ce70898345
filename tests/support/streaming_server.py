"""A real HTTP/1.1 server on 127.0.0.1 for streaming tests: each route answers with a status,
headers and an iterable of body chunks, sent with chunked transfer encoding as they are
produced (``None`` in the chunks: close the connection right there, mid-body).  The server
records each request and notices when the client goes away while it is still writing.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/event-stream"})
    chunks: Iterable[bytes | None] = ()
    length: int | None = None  # send Content-Length instead of chunked encoding


@dataclass
class Seen:
    method: str
    path: str
    headers: httpx.Headers
    body: bytes


Route = Callable[[Seen], Reply]


class StreamServer:
    def __init__(self, route: Route) -> None:
        self.route = route
        self.seen: list[Seen] = []
        self.client_gone = threading.Event()  # a write failed: the client closed the connection
        self.finished = threading.Event()  # a reply was written to its end
        self.lock = threading.Lock()

    def count(self, path: str) -> int:
        with self.lock:
            return sum(1 for s in self.seen if s.path.split("?")[0] == path)


@contextlib.contextmanager
def serve(route: Route) -> Iterator[tuple[str, StreamServer]]:
    state = StreamServer(route)
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.state = state
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 256
    state: StreamServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        seen = Seen(self.command, self.path, httpx.Headers(list(self.headers.items())), body)
        state = self.server.state
        with state.lock:
            state.seen.append(seen)
        reply = state.route(seen)
        self.send_response(reply.status)
        for k, v in reply.headers.items():
            self.send_header(k, v)
        if reply.length is None:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(reply.length))
        self.end_headers()
        try:
            for chunk in reply.chunks:
                if chunk is None:  # cut: close the connection mid-body
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if reply.length is None:
                    self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                else:
                    self.wfile.write(chunk)
                self.wfile.flush()
            if reply.length is None:
                self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
            state.finished.set()
        except (BrokenPipeError, ConnectionResetError):
            state.client_gone.set()
            self.close_connection = True

    do_GET = do_POST = do_PUT = _serve
