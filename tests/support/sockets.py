"""The contract server on a real socket: stdlib ``ThreadingHTTPServer`` on 127.0.0.1, one thread
per connection, HTTP/1.1 keep-alive.  It sends whatever ``Answer`` the handler returns, and acts
out its faults: a delay (cut short when the server stops), a connection closed without an answer,
or a body cut in half.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from tests.support.contract import Answer

Handle = Callable[[str, str, httpx.Headers, bytes], "Answer"]


@contextlib.contextmanager
def serve_http(handle: Handle) -> Iterator[str]:
    """Serve ``handle(method, target, headers, body)`` until the block ends; yields the root URL."""
    httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
    httpd.handle_request_of = handle
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.stopping.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a handler still sleeping out a delay does not hold the test up

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.stopping = threading.Event()
        self.handle_request_of: Handle


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HTTPServer

    def _serve(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = httpx.Headers(list(self.headers.items()))  # repeated headers kept
        answer = self.server.handle_request_of(self.command, self.path, headers, body)
        if answer.delay and self.server.stopping.wait(answer.delay):
            return
        if answer.drop:
            self._hang_up()
            return
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        if answer.truncate:
            self.wfile.write(answer.body[: len(answer.body) // 2])
            self.wfile.flush()
            self._hang_up()
            return
        self.wfile.write(answer.body)

    def _hang_up(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def handle_one_request(self) -> None:
        with contextlib.suppress(ConnectionError, TimeoutError):  # the client gave up first
            super().handle_one_request()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def log_message(self, format: str, *args: Any) -> None:
        pass
