"""A local server speaking DeepL's documented API v2, so that the deepl engine's real SDK
calls are tested over HTTP: ``POST /v2/translate`` (JSON body, ``DeepL-Auth-Key``
authorisation, its error statuses: 403 key, 456 quota, 429, 5xx) and the glossary
endpoints the engine calls, ``GET /v2/glossary-language-pairs``, ``GET /v2/glossaries``
and ``POST /v2/glossaries`` (entries as TSV, answered 201 with the glossary's
information), with the errors DeepL's own mock gives (400 for an unsupported pair, a
line without a tab or a source given twice).

Translations are the German-looking text of tests/engine_openai/server.py, trimmed as
DeepL trims them. With a ``glossary_id`` each occurrence of an entry's source comes out
as its target, verbatim (DeepL would inflect it to fit the sentence)."""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import permutations
from typing import Any

from tests.engine_openai.server import german

KEY = "test-key:fx"
#: the languages DeepL's v2 glossary documentation lists; any two make a pair
GLOSSARY_LANGUAGES = (
    "da",
    "de",
    "en",
    "es",
    "fr",
    "it",
    "ja",
    "ko",
    "nb",
    "nl",
    "pl",
    "pt",
    "ru",
    "sv",
    "zh",
)
Reply = tuple[int, Any]


@dataclass
class Raw:
    """A reply sent as it is rather than as JSON, with more headers: a proxy's page, a
    body cut short, a 429 with its ``Retry-After``."""

    body: bytes
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Glossary:
    name: str
    source_lang: str
    target_lang: str
    entries: dict[str, str]
    created: str = field(default_factory=lambda: datetime.now(UTC).isoformat())

    def info(self, glossary_id: str) -> dict[str, Any]:
        return {
            "glossary_id": glossary_id,
            "name": self.name,
            "ready": True,
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            "creation_time": self.created,
            "entry_count": len(self.entries),
        }

    def translated(self, text: str) -> str:
        """``text`` in German-looking words, the entries' sources replaced by targets."""
        if not self.entries:
            return german(text)
        sources = sorted(self.entries, key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(source) for source in sources))
        pieces, end = [], 0
        for found in pattern.finditer(text):
            pieces += [german(text[end : found.start()]), self.entries[found.group(0)]]
            end = found.end()
        return "".join([*pieces, german(text[end:])])


@dataclass
class FakeDeepL:
    url: str = ""
    #: faults of the next translate requests, one each: 403, 456, 429, 429:<Retry-After>,
    #: 500, short, html (a proxy's page), garbage (JSON cut short), no-text (a
    #: translation without its text), shapeless (JSON of another shape)
    faults: list[str] = field(default_factory=list)
    #: statuses the next glossary creations fail with, one each
    glossary_faults: list[int] = field(default_factory=list)
    #: every translate request's body
    requests: list[dict[str, Any]] = field(default_factory=list)
    #: every request, as "METHOD /path"
    calls: list[str] = field(default_factory=list)
    glossaries: dict[str, Glossary] = field(default_factory=dict)
    glossary_pairs: set[tuple[str, str]] = field(
        default_factory=lambda: set(permutations(GLOSSARY_LANGUAGES, 2))
    )
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, method: str, path: str, auth: str, body: Any) -> Reply:
        with self.lock:
            self.calls.append(f"{method} {path}")
            if auth != f"DeepL-Auth-Key {KEY}":
                return 403, {"message": "Wrong endpoint. Use https://api-free.deepl.com"}
            if (method, path) == ("POST", "/v2/translate"):
                return self.translate(body)
            if (method, path) == ("POST", "/v2/glossaries"):
                return self.create_glossary(body)
            if (method, path) == ("GET", "/v2/glossaries"):
                return 200, {"glossaries": [g.info(i) for i, g in self.glossaries.items()]}
            if (method, path) == ("GET", "/v2/glossary-language-pairs"):
                pairs = [{"source_lang": s, "target_lang": t} for s, t in self.glossary_pairs]
                return 200, {"supported_languages": pairs}
            return 404, {"message": "not found"}

    def translate(self, body: dict[str, Any]) -> Reply:
        self.requests.append(body)
        fault = self.faults.pop(0) if self.faults else ""
        if fault == "403":
            return 403, {"message": "Wrong endpoint. Use https://api-free.deepl.com"}
        if fault in ("456", "429", "500"):
            return int(fault), {"message": f"fault {fault}"}
        if fault.startswith("429:"):
            wait = fault.partition(":")[2]
            return 429, Raw(b'{"message": "Too many requests"}', headers={"Retry-After": wait})
        if fault == "html":
            return 200, Raw(b"<html><body>Bad gateway</body></html>", "text/html")
        if fault == "garbage":
            return 200, Raw(b'{"translations": [{"text"')
        if fault == "shapeless":
            return 200, {"translations": "none today"}
        glossary = Glossary("", "", "", {})
        if "glossary_id" in body:
            if body["glossary_id"] not in self.glossaries:
                return 400, {"message": "not found"}
            glossary = self.glossaries[body["glossary_id"]]
            pair = (body.get("source_lang", ""), body["target_lang"].partition("-")[0])
            if pair != (glossary.source_lang.upper(), glossary.target_lang.upper()):
                return 400, {"message": "the glossary's languages differ from the request's"}
        texts = body["text"][:-1] if fault == "short" else body["text"]
        return 200, {
            "translations": [
                {
                    "detected_source_language": body.get("source_lang") or "EN",
                    "text": None if fault == "no-text" else glossary.translated(text).strip(),
                    "billed_characters": len(text),
                }
                for text in texts
            ]
        }

    def create_glossary(self, body: dict[str, Any]) -> Reply:
        if self.glossary_faults:
            status = self.glossary_faults.pop(0)
            return status, {"message": f"fault {status}"}
        source, target = body["source_lang"].lower(), body["target_lang"].lower()
        if (source, target) not in self.glossary_pairs:
            return 400, {"message": "Unsupported glossary source and target language pair"}
        if body.get("entries_format") != "tsv":
            return 400, {"message": "Unsupported entry format specified"}
        entries: dict[str, str] = {}
        for line in filter(None, (line.strip() for line in body["entries"].split("\n"))):
            term, tab, translation = line.partition("\t")
            if not tab or term in entries:
                return 400, {"message": "Invalid glossary entries provided", "detail": line}
            entries[term] = translation
        glossary_id = str(uuid.uuid4())
        self.glossaries[glossary_id] = Glossary(body["name"], source, target, entries)
        return 201, self.glossaries[glossary_id].info(glossary_id)


@contextmanager
def fake_deepl() -> Iterator[FakeDeepL]:
    state = FakeDeepL()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.reply(None)

        def do_POST(self) -> None:
            self.reply(json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0)))))

        def reply(self, body: Any) -> None:
            auth = self.headers.get("Authorization", "")
            status, payload = state.answer(self.command, self.path, auth, body)
            raw = payload if isinstance(payload, Raw) else Raw(json.dumps(payload).encode())
            self.send_response(status)
            self.send_header("Content-Type", raw.content_type)
            self.send_header("Content-Length", str(len(raw.body)))
            for name, value in raw.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(raw.body)

        def log_message(self, *args: object) -> None:
            pass

    # tests/http_fake.py serves POST only; the glossary endpoints need GET too
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
