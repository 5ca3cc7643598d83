"""A local OpenAI-compatible chat server, speaking the documented request and response
shapes of ``POST /v1/chat/completions`` (and its error bodies), so that the openai
engine's real client code is tested over HTTP.

It "translates" into German-looking text: each word of a segment becomes a German word
chosen by a fixed rule, tags, entities, digits and punctuation stay as they are.
Faults queued by a test apply to the next requests, one per request. Tokens are
counted with one fixed rule (words and single punctuation marks), prompt and answer
alike.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.http_fake import Reply, serve, serve_json

GERMAN = (
    "und",
    "der",
    "die",
    "das",
    "nicht",
    "ist",
    "mit",
    "für",
    "auf",
    "eine",
    "Bericht",
    "Kunden",
    "Zeit",
    "besser",
    "Jahr",
    "wir",
    "haben",
    "wurde",
    "unsere",
    "neue",
    "Stunden",
    "Anfragen",
    "zwischen",
    "sich",
    "auch",
    "noch",
    "sehr",
)
_PIECE_RE = re.compile(r"(<[^>]+>|&[a-z]+;|[^\W\d_]+)")
_TOKEN_RE = re.compile(r"\w+|[^\w\s]")


def german(text: str) -> str:
    def word(match: re.Match[str]) -> str:
        piece = match.group(0)
        if piece.startswith(("<", "&")):
            return piece
        choice = GERMAN[int(hashlib.sha256(piece.lower().encode()).hexdigest(), 16) % len(GERMAN)]
        return choice.capitalize() if piece[0].isupper() else choice

    return _PIECE_RE.sub(word, text)


def tokens(text: str) -> int:
    return len(_TOKEN_RE.findall(text))


@dataclass
class FakeChatServer:
    url: str = ""
    faults: list[str] = field(default_factory=list)
    #: every request's parsed body
    requests: list[dict[str, Any]] = field(default_factory=list)
    #: ids answered badly by every request (a fault that never goes away)
    always_drop: set[str] = field(default_factory=set)
    delay: float = 0.0
    #: requests being answered now, and the most there ever were at once
    in_flight: int = 0
    peak_in_flight: int = 0
    #: segments whose text holds this get a control character in their translation
    #: (a QA error the engine's own checks pass), unless QA's feedback is in the request
    spoil: str = ""
    #: ... even with the feedback (a repair that fails)
    spoil_stubbornly: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def segment_ids(self) -> list[list[str]]:
        return [
            [s["id"] for s in json.loads(r["messages"][-1]["content"])["segments"]]
            for r in self.requests
        ]

    def answer(self, body: dict[str, Any]) -> Reply:
        with self.lock:
            self.requests.append(body)
            fault = self.faults.pop(0) if self.faults else ""
        if fault.startswith("429"):
            wait = fault.partition(":")[2] or "1"
            error = {
                "message": "Rate limit reached",
                "type": "requests",
                "code": "rate_limit_exceeded",
            }
            return 429, {"Retry-After": wait}, {"error": error}
        if fault in ("500", "401", "404"):
            kinds = {"500": "server_error", "401": "invalid_api_key", "404": "model_not_found"}
            return (
                int(fault),
                {},
                {"error": {"message": fault, "type": kinds[fault], "code": kinds[fault]}},
            )
        request = json.loads(body["messages"][-1]["content"])
        translations = []
        for segment in request["segments"]:
            if segment["id"] in self.always_drop or fault == f"drop:{segment['id']}":
                continue
            text = german(segment["text"])
            if (
                self.spoil
                and self.spoil in segment["text"]
                and (self.spoil_stubbornly or "qa_problem" not in segment)
            ):
                text += "\u0007"
            if fault == "break-tags":
                text = re.sub(r"<[^>]+>", "", text)
            elif fault == "source-language":
                text = segment["text"]
            elif fault == "english":
                text = "This is the answer in English, which is the language of the source text."
            elif fault == "pad":
                text = (
                    "Here is the translation: "
                    + text
                    + " "
                    + text
                    + " "
                    + text
                    + " "
                    + text
                    + " "
                    + text
                )
            translations.append({"id": segment["id"], "text": text})
        content = json.dumps({"translations": translations}, ensure_ascii=False)
        if fault == "malformed":
            content = content[: len(content) // 2]
        prompt = sum(tokens(m["content"]) for m in body["messages"])
        completion = tokens(content)
        return (
            200,
            {},
            {
                "id": f"chatcmpl-{len(self.requests)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt,
                    "completion_tokens": completion,
                    "total_tokens": prompt + completion,
                },
            },
        )


@contextmanager
def fake_chat_server() -> Iterator[FakeChatServer]:
    state = FakeChatServer()

    def answer(path: str, headers: Mapping[str, str], body: Any) -> Reply:
        if not path.endswith("/chat/completions"):
            return 404, {}, {"error": {"message": "not found"}}
        with state.lock:
            state.in_flight += 1
            state.peak_in_flight = max(state.peak_in_flight, state.in_flight)
        try:
            if state.delay:
                time.sleep(state.delay)
            return state.answer(body)
        finally:
            with state.lock:
                state.in_flight -= 1

    with serve_json(answer) as url:
        state.url = f"{url}/v1"
        yield state


@pytest.fixture
def openai_server(settings: Any) -> Iterator[FakeChatServer]:
    """The fake server, with the openai engine's settings pointed at it (a fixture:
    import it into a test module or a conftest to use it)."""
    with fake_chat_server() as fake:
        settings.IRIS_OPENAI_BASE_URL = fake.url
        settings.IRIS_OPENAI_API_KEY = "test-key"
        settings.IRIS_OPENAI_MODEL = "test-model"
        settings.IRIS_OPENAI_TIMEOUT = 5
        yield fake


@contextmanager
def fake_proxy(body: bytes, content_type: str) -> Iterator[str]:
    """A server that answers every POST with 200 and ``body`` as it is, whatever was
    asked: what a proxy's error page, or an answer cut short, is to the client. Yields
    its base URL (``/v1`` included)."""
    with serve(lambda path, headers, data: (200, {"Content-Type": content_type}, body)) as url:
        yield f"{url}/v1"
