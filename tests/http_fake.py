"""A JSON HTTP server on a loopback port, in a thread of the test process: the fake
services (tests/engine_*/server.py) implement one function from a request to a reply."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

#: (path, request headers, JSON body) -> (status, reply headers, JSON reply)
Reply = tuple[int, Mapping[str, str], Any]
Answer = Callable[[str, Mapping[str, str], Any], Reply]


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up waiting (the time-out tests) is no error of ours."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


#: (path, request headers, body bytes) -> (status, reply headers, reply bytes)
RawReply = tuple[int, Mapping[str, str], bytes]
RawAnswer = Callable[[str, Mapping[str, str], bytes], RawReply]


@contextmanager
def serve(answer: RawAnswer) -> Iterator[str]:
    """Serve ``answer`` for every POST, bytes in and out; yields the server's base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            status, headers, data = answer(self.path, dict(self.headers), self.rfile.read(length))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = _QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serve_json(answer: Answer) -> Iterator[str]:
    """Serve ``answer`` for every POST, JSON in and out; yields the server's base URL."""

    def raw(
        path: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[int, Mapping[str, str], bytes]:
        status, extra, payload = answer(path, headers, json.loads(body))
        return status, {"Content-Type": "application/json", **extra}, json.dumps(payload).encode()

    with serve(raw) as url:
        yield url
