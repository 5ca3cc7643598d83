"""A local server speaking DeepL's documented API v2 ``POST /v2/translate`` (JSON body,
``DeepL-Auth-Key`` authorisation, its error statuses: 403 key, 456 quota, 429, 5xx), so
that the deepl engine's real SDK calls are tested over HTTP. Translations are the
German-looking text of tests/engine_openai/server.py, trimmed as DeepL trims them."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.engine_openai.server import german

KEY = "test-key:fx"


@dataclass
class FakeDeepL:
    url: str = ""
    faults: list[str] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, body: dict[str, Any], auth: str) -> tuple[int, dict[str, Any]]:
        with self.lock:
            self.requests.append(body)
            fault = self.faults.pop(0) if self.faults else ""
        if auth != f"DeepL-Auth-Key {KEY}" or fault == "403":
            return 403, {"message": "Wrong endpoint. Use https://api-free.deepl.com"}
        if fault in ("456", "429", "500"):
            return int(fault), {"message": f"fault {fault}"}
        texts = body["text"][:-1] if fault == "short" else body["text"]
        return 200, {
            "translations": [
                {
                    "detected_source_language": body.get("source_lang") or "EN",
                    "text": german(text).strip(),
                    "billed_characters": len(text),
                }
                for text in texts
            ]
        }


@contextmanager
def fake_deepl() -> Iterator[FakeDeepL]:
    state = FakeDeepL()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length))
            if self.path != "/v2/translate":
                self.send_error(404)
                return
            status, payload = state.answer(body, self.headers.get("Authorization", ""))
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
