"""A local server speaking DeepL's documented API v2 ``POST /v2/translate`` (JSON body,
``DeepL-Auth-Key`` authorisation, its error statuses: 403 key, 456 quota, 429, 5xx), so
that the deepl engine's real SDK calls are tested over HTTP. Translations are the
German-looking text of tests/engine_openai/server.py, trimmed as DeepL trims them."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tests.engine_openai.server import german
from tests.http_fake import Reply, serve_json

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

    def answer(path: str, headers: Mapping[str, str], body: Any) -> Reply:
        if path != "/v2/translate":
            return 404, {}, {"message": "not found"}
        status, payload = state.answer(body, headers.get("Authorization", ""))
        return status, {}, payload

    with serve_json(answer) as url:
        state.url = url
        yield state
