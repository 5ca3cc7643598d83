"""The engines under contract, each with what the contract tests need to know of it: how
to build it, a pair it translates and one it does not, what its service received, and
how to make that service fail.

A request reaches each engine's service at one point, where a spy watches it: the fake
HTTP server's handler (openai, deepl: their own record of requests is what was sent),
the ``apertium`` process call, the pseudo engine's one hook. ``around`` is entered for
every request there, so a test can hold requests to see how many are in flight.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import pytest

from iris.engines import apertium
from iris.engines.apertium import ApertiumEngine, mode_for
from iris.engines.base import (
    Answer,
    Engine,
    EngineError,
    EngineRequest,
    EngineResult,
    EngineSegment,
    InvalidOptionError,
    PermanentError,
    SegmentContext,
    TransientError,
    UnsupportedPairError,
    Usage,
)
from iris.engines.deepl_engine import DeepLEngine
from iris.engines.openai_chat import OpenAIEngine
from iris.engines.pseudo import PseudoEngine
from tests.engine_deepl.server import FakeDeepL
from tests.engine_openai.server import FakeChatServer

ENGINES = ("pseudo", "apertium", "openai", "deepl")
HTTP_ENGINES = ("openai", "deepl")
_PARAGRAPH_RE = re.compile(r"<p>(.*?)</p>", re.DOTALL)
#: plain sentences every engine translates (Apertium's English-Spanish knows the words)
SENTENCES = (
    "The quarterly report is ready for our customers.",
    "Our new offices open in the spring.",
    "The house is big and the garden is green.",
    "We answered every request within two days.",
    "Please call the office before noon.",
    "The team will visit the factory next week.",
)


@dataclass(frozen=True)
class Expected:
    """What a provoked failure must raise (and, transient, the wait it passes on)."""

    error: type[EngineError]
    retry_after: float | None = None


@dataclass
class MemoryStore:
    """A :class:`iris.engines.base.ResultStore` in memory that keeps every ``record``."""

    answers: dict[str, Answer] = field(default_factory=dict)
    records: list[tuple[dict[str, Answer], Usage]] = field(default_factory=list)

    def cached(self, keys: Sequence[str]) -> Mapping[str, Answer]:
        return {key: self.answers[key] for key in keys if key in self.answers}

    def record(self, answers: Mapping[str, Answer], usage: Usage) -> None:
        self.records.append((dict(answers), usage))
        self.answers |= answers

    def recorded_usage(self) -> Usage:
        return sum((usage for _, usage in self.records), Usage())


class Contract:
    """One engine under contract (subclasses: one per engine)."""

    name: ClassVar[str]
    engine_class: ClassVar[type[Engine]]
    #: a pair the engine translates
    pair: ClassVar[tuple[str, str]]
    #: a pair it refuses, and a language its refusal names as one it does translate
    #: (None: it takes every pair)
    unsupported: ClassVar[tuple[str, str, str] | None] = None
    #: the options it runs with, and ones that change its answers (None: it has none)
    default_options: ClassVar[Mapping[str, str]] = {}
    other_options: ClassVar[Mapping[str, str] | None] = None
    #: failures ``provoke`` knows how to cause, and what each must raise
    failures: ClassVar[Mapping[str, Expected]] = {}
    bills_tokens: ClassVar[bool] = False

    def __init__(self, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        self.settings, self.monkeypatch = settings, monkeypatch
        self.options = dict(self.default_options)
        self.around: Callable[[], contextlib.AbstractContextManager[None]] = contextlib.nullcontext

    def engine(self, **options: str) -> Engine:
        return self.engine_class({**self.options, **options})

    def request(self, *sources: str, context: SegmentContext | None = None) -> EngineRequest:
        around = context or SegmentContext()
        segments = [EngineSegment(f"s{i}", text, around) for i, text in enumerate(sources)]
        return EngineRequest(*self.pair, segments)

    def translate(self, request: EngineRequest, store: MemoryStore | None = None) -> EngineResult:
        return self.engine().translate(request, store)

    def sent(self) -> list[list[str]]:
        """The source texts of every request the service received, in order."""
        raise NotImplementedError

    def cut(self, segments: int) -> None:
        """Requests of at most ``segments`` segments from now on."""
        self.monkeypatch.setattr(self.engine_class, "segments_per_request", segments)

    def provoke(self, failure: str, request: EngineRequest) -> EngineRequest:
        """Make the next request fail with ``failure``; the request to send then."""
        raise NotImplementedError(failure)

    def heal(self) -> None:
        """Undo what ``provoke`` did that outlasts one request."""


class PseudoContract(Contract):
    name = "pseudo"
    engine_class = PseudoEngine
    pair = ("en", "de")
    # with a latency it plays a slow engine, whose answers are cached
    default_options: ClassVar[Mapping[str, str]] = {"delay_ms": "1"}
    other_options: ClassVar[Mapping[str, str] | None] = {"delay_ms": "2"}
    failures: ClassVar[Mapping[str, Expected]] = {"invalid-option": Expected(InvalidOptionError)}

    def __init__(self, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        super().__init__(settings, monkeypatch)
        self.batches: list[list[str]] = []
        original = PseudoEngine.translate_batch

        def spy(engine: PseudoEngine, request: EngineRequest) -> EngineResult:
            with self.around():
                self.batches.append([s.source for s in request.segments])
                return original(engine, request)

        monkeypatch.setattr(PseudoEngine, "translate_batch", spy)

    def sent(self) -> list[list[str]]:
        return self.batches

    def provoke(self, failure: str, request: EngineRequest) -> EngineRequest:
        assert failure == "invalid-option"
        self.options = {"delay_ms": "-1"}
        return request


class ApertiumContract(Contract):
    name = "apertium"
    engine_class = ApertiumEngine
    pair = ("en", "es")
    unsupported = ("en", "de", "es")
    failures: ClassVar[Mapping[str, Expected]] = {
        "missing-program": Expected(PermanentError),
        "missing-mode": Expected(UnsupportedPairError),
        "timed-out": Expected(TransientError),
    }

    def __init__(self, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        # As tests/engine_apertium: a missing Apertium fails, never skips.
        if shutil.which("apertium") is None or mode_for("en", "es") is None:
            pytest.fail(
                "Apertium with its English-Spanish pair is not installed and this test needs "
                "it: apt-get install -y apertium apertium-eng-spa (scripts/system-deps.sh)"
            )
        super().__init__(settings, monkeypatch)
        self.pages: list[list[str]] = []
        original = apertium._run

        def spy(mode: str, page: str) -> str:
            with self.around():
                self.pages.append(_PARAGRAPH_RE.findall(page))
                return original(mode, page)

        monkeypatch.setattr(apertium, "_run", spy)
        self.limits = (apertium._BASE_SECONDS, apertium._SECONDS_PER_1000)

    def sent(self) -> list[list[str]]:
        return self.pages  # each segment is one <p> of the page, its tagged source as is

    def provoke(self, failure: str, request: EngineRequest) -> EngineRequest:
        if failure == "missing-program":
            self.settings.IRIS_APERTIUM_PATH = "iris-tests-no-such-apertium"
        elif failure == "missing-mode":
            return replace(request, target_lang="de")
        else:
            assert failure == "timed-out"
            self.monkeypatch.setattr(apertium, "_BASE_SECONDS", 0.0)
            self.monkeypatch.setattr(apertium, "_SECONDS_PER_1000", 0.0)
        return request

    def heal(self) -> None:
        self.monkeypatch.setattr(apertium, "_BASE_SECONDS", self.limits[0])
        self.monkeypatch.setattr(apertium, "_SECONDS_PER_1000", self.limits[1])


class HttpContract(Contract):
    """An engine whose service is a fake HTTP server that fails on request."""

    #: the server's fault for each failure
    faults: ClassVar[Mapping[str, str]]
    server: FakeChatServer | FakeDeepL

    def provoke(self, failure: str, request: EngineRequest) -> EngineRequest:
        return self.fail_request(1, failure, request)

    def fail_request(self, number: int, failure: str, request: EngineRequest) -> EngineRequest:
        """Make the ``number``-th request from now fail with ``failure``."""
        self.server.faults.extend([""] * (number - 1) + [self.faults[failure]])
        return request


class OpenAIContract(HttpContract):
    name = "openai"
    engine_class = OpenAIEngine
    pair = ("en", "de")
    other_options: ClassVar[Mapping[str, str] | None] = {"formality": "formal"}
    failures: ClassVar[Mapping[str, Expected]] = {
        "rate-limited": Expected(TransientError, retry_after=7.0),
        "server-error": Expected(TransientError),
        "refused-key": Expected(PermanentError),
        "unknown-model": Expected(PermanentError),
    }
    faults: ClassVar[Mapping[str, str]] = {
        "rate-limited": "429:7",
        "server-error": "500",
        "refused-key": "401",
        "unknown-model": "404",
    }
    bills_tokens = True

    def __init__(
        self, settings: Any, monkeypatch: pytest.MonkeyPatch, server: FakeChatServer
    ) -> None:
        super().__init__(settings, monkeypatch)
        self.server = server
        original = server.answer

        def spy(body: dict[str, Any]) -> Any:
            with self.around():
                return original(body)

        monkeypatch.setattr(server, "answer", spy)

    def sent(self) -> list[list[str]]:
        return [
            [s["text"] for s in json.loads(body["messages"][-1]["content"])["segments"]]
            for body in self.server.requests
        ]


class DeepLContract(HttpContract):
    name = "deepl"
    engine_class = DeepLEngine
    pair = ("en", "de")
    unsupported = ("en", "tlh", "DE")
    other_options: ClassVar[Mapping[str, str] | None] = {"formality": "more"}
    failures: ClassVar[Mapping[str, Expected]] = {
        # No wait to pass on: DeepL's error-handling guide asks for exponential backoff
        # and names no Retry-After (nor does the fake send one), and the SDK's
        # exception would not carry the header anyway.
        "rate-limited": Expected(TransientError, retry_after=None),
        "server-error": Expected(TransientError),
        "refused-key": Expected(PermanentError),
        "quota-used-up": Expected(PermanentError),
    }
    faults: ClassVar[Mapping[str, str]] = {
        "rate-limited": "429",
        "server-error": "500",
        "refused-key": "403",
        "quota-used-up": "456",
    }

    def __init__(self, settings: Any, monkeypatch: pytest.MonkeyPatch, server: FakeDeepL) -> None:
        super().__init__(settings, monkeypatch)
        self.server = server
        original = server.answer

        def spy(method: str, path: str, auth: str, body: Any) -> Any:
            if path != "/v2/translate":
                return original(method, path, auth, body)
            with self.around():
                return original(method, path, auth, body)

        monkeypatch.setattr(server, "answer", spy)

    def sent(self) -> list[list[str]]:
        return [list(body["text"]) for body in self.server.requests]


def failure_cases(*, transient_only: bool = False) -> Iterator[Any]:
    """(engine, failure) parameters: every failure each engine is held to."""
    contracts: tuple[type[Contract], ...] = (
        PseudoContract,
        ApertiumContract,
        OpenAIContract,
        DeepLContract,
    )
    for contract in contracts:
        for failure, expected in contract.failures.items():
            if transient_only and not issubclass(expected.error, TransientError):
                continue
            yield pytest.param(contract.name, failure, id=f"{contract.name}-{failure}")
