"""Engine throughput: ``iris translate`` with the openai engine against a local
OpenAI-compatible server that answers each request after ``--latency-ms`` (300) and
serves at most ``--concurrency-k`` (4) requests at once; more wait for a free slot, and
the wait counts.

Run ``.venv/bin/python bench/engine_throughput.py [--pages 100] [--concurrency-k 4]
[--latency-ms 300]``.

The server runs in a thread of this process (tests/http_fake.py) and answers with the
German-looking fake translation of tests/engine_openai/server.py, so every answer
passes the engine's checks. It counts requests, and tokens by one fixed rule
(:func:`iris.engines.openai_chat.approximate_tokens`, words and single marks; tiktoken
would fetch its encodings from the internet): every message of every request (sent),
and the ``text`` of each distinct segment (source; not the context around it, and a
segment asked again counts once, so asking again is overhead).

The translation is the real thing: ``iris translate DOC --to de --from en --engine
openai`` in a child process on the embedded configuration (eager, SQLite in a fresh
folder, ``IRIS_ENGINE_CONCURRENCY`` = K), on a generated document
(`bench.docx_roundtrip.build_docx`). Total is that process's wall time; ideal is
``requests × latency ÷ K``. Goals: ``ratio ≤ 1.3`` and ``tokens_per_source_token ≤ 3``
(context on: the engine always sends it). The last line, printed after Apertium's, is
``ratio=<total/ideal> tokens_per_source_token=<x>``.

When the benchmark's PostgreSQL and Redis answer (bench/pipeline.py's), the same
document is then submitted to two workers of one slot each (the production topology):
its time from submission to completion gives ``async_ratio``, printed after the
others on the last line.

The same command with the pseudo engine is timed too: what the run costs besides the
engine, which bounds the ratio from below (total ≈ that + the engine phase).

Then, when Apertium's English→Spanish mode is installed, the same document with
``--to es --engine apertium``: words of the source text per second of wall time.
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.docx_roundtrip import build_docx
from bench.main_job import child_env
from bench.pipeline import BROKER_URL, PG_URL, async_workers, fresh_pg_database, run_job
from iris.docx import open_document
from iris.docx.text.tags import plain_text
from iris.engines.openai_chat import approximate_tokens
from tests.engine_openai.server import FakeChatServer
from tests.http_fake import Reply, serve_json

ROOT = Path(__file__).resolve().parents[1]
APERTIUM_MODE = Path("/usr/share/apertium/modes/eng-spa.mode")
#: seconds between progress lines while a translation runs
PROGRESS_EVERY = 15.0


@dataclass
class Counts:
    """What the server saw; guarded by ``LimitedChatServer.lock``."""

    requests: int = 0
    sent_tokens: int = 0
    source_tokens: int = 0
    segments: set[str] = field(default_factory=set)
    segments_sent: int = 0
    in_service: int = 0
    peak_in_service: int = 0
    first_arrival: float = 0.0
    last_reply: float = 0.0


@dataclass
class LimitedChatServer:
    """The fake chat server behind ``K`` service slots, each held ``latency`` seconds."""

    latency: float
    slots: threading.Semaphore
    chat: FakeChatServer = field(default_factory=FakeChatServer)
    counts: Counts = field(default_factory=Counts)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, path: str, headers: Mapping[str, str], body: Any) -> Reply:
        if not path.endswith("/chat/completions"):
            return 404, {}, {"error": {"message": "not found"}}
        self.count_request(body)
        # The fake translation is made before the request takes a slot: a slot is held
        # for exactly the latency, not for the fake's own work in this process.
        reply = self.chat.answer(body)
        with self.slots:
            self.enter_service()
            time.sleep(self.latency)
            self.leave_service()
        return reply

    def count_request(self, body: Any) -> None:
        segments = json.loads(body["messages"][-1]["content"])["segments"]
        sent = sum(approximate_tokens(message["content"]) for message in body["messages"])
        with self.lock:
            counts = self.counts
            counts.first_arrival = counts.first_arrival or time.perf_counter()
            counts.requests += 1
            counts.sent_tokens += sent
            counts.segments_sent += len(segments)
            for segment in segments:
                if segment["id"] not in counts.segments:
                    counts.segments.add(segment["id"])
                    counts.source_tokens += approximate_tokens(segment["text"])

    def enter_service(self) -> None:
        with self.lock:
            self.counts.in_service += 1
            self.counts.peak_in_service = max(self.counts.peak_in_service, self.counts.in_service)

    def leave_service(self) -> None:
        with self.lock:
            self.counts.in_service -= 1
            self.counts.last_reply = time.perf_counter()


@contextmanager
def limited_chat_server(latency: float, k: int) -> Iterator[tuple[LimitedChatServer, str]]:
    """The server and its base URL (``…/v1``, as the SDK expects), for the block."""
    server = LimitedChatServer(latency, threading.Semaphore(k))
    with serve_json(server.answer) as url:
        yield server, f"{url}/v1"


def run_translate(command: list[str], env: dict[str, str], progress: Any = None) -> float:
    """Wall seconds of ``command``; fails loudly; ``progress()`` every PROGRESS_EVERY s."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
        while True:
            try:
                code = process.wait(timeout=PROGRESS_EVERY)
                break
            except subprocess.TimeoutExpired:
                if progress:
                    progress(time.perf_counter() - started)
        seconds = time.perf_counter() - started
        if code != 0:
            output.seek(0)
            tail = output.read().decode(errors="replace")[-3000:]
            raise SystemExit(f"{' '.join(command[1:4])} failed (exit {code}):\n{tail}")
    return seconds


def translate_command(document: Path, target: str, engine: str, out: Path) -> list[str]:
    iris = str(Path(sys.executable).with_name("iris"))
    return [iris, "translate", str(document), "--to", target, "--from", "en", "-q",
            "--engine", engine, "-o", str(out)]  # fmt: skip


def source_words(data: bytes) -> int:
    """Words (runs of letters or digits) in the text of the document's translatable units."""
    units = open_document(data, source_lang="en").units()
    text = " ".join(plain_text(unit.source) for unit in units if unit.translatable)
    return len(re.findall(r"\w+", text))


def bench_openai(document: Path, work: Path, args: argparse.Namespace) -> str:
    """Runs and reports the openai translation; returns the ``ratio=…`` line."""
    latency, k = args.latency_ms / 1000, args.concurrency_k
    with limited_chat_server(latency, k) as (server, url):
        print(f"server: {url}, {args.latency_ms} ms per request, at most {k} at once")
        env = child_env(
            IRIS_VAR_DIR=str(work / "openai-var"),
            IRIS_OPENAI_BASE_URL=url,
            IRIS_OPENAI_API_KEY="bench-only-key",
            IRIS_OPENAI_MODEL="bench-model",
            # As many requests in flight as the server serves (ignored before the
            # setting existed).
            IRIS_ENGINE_CONCURRENCY=str(k),
        )

        def progress(elapsed: float) -> None:
            with server.lock:
                done = (server.counts.requests, len(server.counts.segments))
            print(f"  … {elapsed:5.0f} s: {done[0]} requests, {done[1]} segments", flush=True)

        print("translating with openai (en → de) …", flush=True)
        out = work / "openai.de.docx"
        total = run_translate(translate_command(document, "de", "openai", out), env, progress)
        last_line = report_openai(server.counts, total, latency, k)
        if not services_up():
            print("async: skipped (PostgreSQL or Redis not reachable)")
            return last_line
        server.counts = Counts()
        print("translating with openai on 2 workers (PostgreSQL, Redis) …", flush=True)
        command = [sys.executable, __file__, "--async-child", str(document), url, str(k)]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
        async_total = float(json.loads(done.stdout.strip().splitlines()[-1])["total"])
        async_line = report_openai(server.counts, async_total, latency, k)
    return f"{last_line} async_{async_line.split()[0]}"


def services_up() -> bool:
    """Whether the benchmark's PostgreSQL and Redis answer."""
    for url in (PG_URL, BROKER_URL):
        parts = urlsplit(url)
        try:
            socket.create_connection((parts.hostname, parts.port), timeout=2).close()
        except OSError:
            return False
    return True


def async_child(document: Path, url: str, k: str) -> None:
    """One job submitted to two workers (one slot each) with the openai engine; prints
    its time from submission to completion as JSON."""
    fresh_pg_database()  # nothing reused from an earlier run
    settings = {
        "IRIS_OPENAI_BASE_URL": url,
        "IRIS_OPENAI_API_KEY": "bench-only-key",
        "IRIS_OPENAI_MODEL": "bench-model",
        "IRIS_ENGINE_CONCURRENCY": k,
    }
    with async_workers(settings):
        print(json.dumps(run_job(document.read_bytes(), "de", engine="openai")))


def report_openai(counts: Counts, total: float, latency: float, k: int) -> str:
    segments = len(counts.segments)
    ideal = counts.requests * latency / k
    span = counts.last_reply - counts.first_arrival
    peak = f"{counts.peak_in_service}/{k}"
    print(f"segments {segments}  requests {counts.requests}  "
          f"(segments sent {counts.segments_sent}, peak in service {peak})")  # fmt: skip
    print(f"segments/s {segments / total:.1f}  total {total:.2f} s  ideal {ideal:.2f} s  "
          f"(first request to last reply {span:.2f} s)")  # fmt: skip
    print(f"tokens sent {counts.sent_tokens}  source tokens {counts.source_tokens}")
    print(f"engine phase (first request to last reply ÷ ideal): {span / ideal:.2f}")
    print("goals: ratio ≤ 1.3, tokens_per_source_token ≤ 3")
    per_source = counts.sent_tokens / counts.source_tokens
    return f"ratio={total / ideal:.2f} tokens_per_source_token={per_source:.2f}"


def bench_fixed(document: Path, work: Path) -> None:
    """The same command with the pseudo engine: what the run costs besides the engine
    (start-up, extraction, QA, reassembly), which no concurrency can hide."""
    env = child_env(IRIS_VAR_DIR=str(work / "pseudo-var"))
    out = work / "pseudo.de.docx"
    seconds = run_translate(translate_command(document, "de", "pseudo", out), env)
    print(f"the same run with the pseudo engine (no latency): {seconds:.2f} s")


def bench_apertium(document: Path, work: Path, words: int) -> None:
    if not APERTIUM_MODE.is_file():
        print(f"apertium: skipped ({APERTIUM_MODE.name} is not installed)")
        return
    print("translating with apertium (en → es) …", flush=True)
    env = child_env(IRIS_VAR_DIR=str(work / "apertium-var"))
    out = work / "apertium.es.docx"
    seconds = run_translate(translate_command(document, "es", "apertium", out), env)
    print(f"apertium: {words} words in {seconds:.2f} s = {words / seconds:.0f} words/s")


def main() -> None:
    if sys.argv[1:2] == ["--async-child"]:
        async_child(Path(sys.argv[2]), sys.argv[3], sys.argv[4])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--concurrency-k", type=int, default=4)
    parser.add_argument("--latency-ms", type=float, default=300)
    args = parser.parse_args()
    print(f"building a {args.pages}-page document …", flush=True)
    data = build_docx(args.pages)
    words = source_words(data)
    print(f"document: {len(data) / 1e6:.2f} MB, {words} words")
    with tempfile.TemporaryDirectory(prefix="iris-throughput-") as folder:
        work = Path(folder)
        document = work / "bench.docx"
        document.write_bytes(data)
        last_line = bench_openai(document, work, args)
        bench_fixed(document, work)
        bench_apertium(document, work, words)
    print(last_line)


if __name__ == "__main__":
    main()
