"""The engine contract: translate a batch of tagged segments for a language pair.

An engine module defines one :class:`Engine` subclass and is listed in the
``IRIS_ENGINES`` setting; nothing else in Iris changes to add one. Engines raise
:class:`TransientError` for failures worth retrying (timeouts, rate limits, 5xx) and
:class:`PermanentError` for the rest (bad credentials, unsupported language); the
pipeline's task layer owns retries and backoff, so engines never loop themselves.

The base class owns what every engine needs around its one hook,
:meth:`Engine.translate_batch` (one request to the service):

- blank segments answered without a request;
- the result cache: with a :class:`ResultStore` (the pipeline passes one), each
  segment's answer is looked up by (engine, configuration, language pair, tagged
  source, context) before anything is sent, and every finished request's answers
  and usage are handed to the store at once, so a retried or resumed batch never
  pays twice for a request that finished;
- sub-batching into requests (``segments_per_request``, ``characters_per_request``),
  ``IRIS_ENGINE_CONCURRENCY`` in flight at a time, under a per-engine rate limit
  (``IRIS_ENGINE_RATE_LIMITS``) shared by every thread of the process. An engine that
  wraps its call to the service in :meth:`Engine.exchange` holds its slot for that call
  only: while it parses and checks an answer, the next request is already out.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from functools import cached_property
from typing import Any, ClassVar, Protocol

from django.conf import settings


class EngineError(Exception):
    """Base of engine failures."""


class TransientError(EngineError):
    """A failure that may succeed later; ``retry_after`` (seconds) honours the service."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentError(EngineError):
    """A failure that retrying will not fix; the step fails with this message."""


class UnsupportedPairError(PermanentError):
    """The engine does not translate between these languages (refused at submission)."""


@dataclass(frozen=True)
class SegmentContext:
    """What a careful translator looks at besides the sentence itself."""

    previous: str = ""
    next: str = ""
    headings: tuple[str, ...] = ()
    title: str = ""


@dataclass(frozen=True)
class Term:
    """A glossary entry the translation must follow (the glossary fills these)."""

    source: str
    target: str
    #: a term that must not appear in the translation (``target`` is then empty)
    forbidden: bool = False


@dataclass(frozen=True)
class MemoryMatch:
    """A translation memory match for a segment (tagged texts, score in %)."""

    source: str
    target: str
    score: float


@dataclass(frozen=True)
class EngineSegment:
    """One segment to translate: ``key`` is opaque to the engine, ``source`` is tagged.

    ``matches`` are memory matches an engine that reads context may use; ``feedback``
    is what QA found wrong with an earlier translation of it (the repair loop), for an
    engine that can take it (:attr:`Engine.takes_feedback`).
    """

    key: str
    source: str
    context: SegmentContext = field(default_factory=SegmentContext)
    matches: tuple[MemoryMatch, ...] = ()
    feedback: str = ""


@dataclass(frozen=True)
class EngineRequest:
    source_lang: str
    target_lang: str
    segments: Sequence[EngineSegment]
    #: glossary terms that apply to these segments (must-use and forbidden)
    terms: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Usage:
    """What a batch cost: billed characters, tokens (LLMs, sent and received) and money
    (in USD, from the price table: iris/engines/prices.py)."""

    characters: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost: float = 0.0

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.characters + other.characters,
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            round(self.cost + other.cost, 6),
        )

    def as_dict(self) -> dict[str, float | int]:
        return {
            "characters": self.characters,
            "tokens": self.tokens,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cost": self.cost,
        }


@dataclass(frozen=True)
class EngineResult:
    targets: Mapping[str, str]
    usage: Usage
    #: key -> what the engine itself found wrong with that target (kept, not hidden:
    #: QA records it as an error for review)
    flags: Mapping[str, str] = field(default_factory=dict)


#: a cached answer: the target, and what the engine flagged about it ("" if nothing)
Answer = tuple[str, str]


class ResultStore(Protocol):
    """Where :meth:`Engine.translate` looks answers up before sending, and hands each
    finished request's answers (by cache key) and usage as soon as it returns."""

    def cached(self, keys: Sequence[str]) -> Mapping[str, Answer]: ...

    def record(self, answers: Mapping[str, Answer], usage: Usage) -> None: ...


class RateLimiter:
    """At most ``per_second`` requests a second, shared by the threads that call
    :meth:`wait` (requests are spaced evenly; nobody waits when the rate is 0)."""

    def __init__(self, per_second: float) -> None:
        self.interval = 1 / per_second if per_second > 0 else 0.0
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            time.sleep(start - now)


_LIMITERS: dict[str, RateLimiter] = {}
_LIMITERS_LOCK = threading.Lock()


def rate_limiter(engine: str) -> RateLimiter:
    """The process's one limiter for ``engine`` (``IRIS_ENGINE_RATE_LIMITS``)."""
    with _LIMITERS_LOCK:
        if engine not in _LIMITERS:
            _LIMITERS[engine] = RateLimiter(settings.IRIS_ENGINE_RATE_LIMITS.get(engine, 0.0))
        return _LIMITERS[engine]


@dataclass(frozen=True)
class Option:
    """One option an engine takes (``--engine-option NAME=VALUE``): its type, default
    and the values it allows, checked when the job is submitted."""

    kind: type[str] | type[float] | type[int] = str
    default: Any = None
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    help: str = ""

    def parse(self, name: str, value: Any) -> Any:
        if isinstance(value, bool) and self.kind is not str:
            # int(True) is 1: a JSON true is no number of requests or milliseconds
            raise InvalidOptionError(
                f"engine option {name}={value!r} is not a {self.kind.__name__}"
            )
        try:
            parsed = self.kind(value)
        except (TypeError, ValueError):
            raise InvalidOptionError(
                f"engine option {name}={value!r} is not a {self.kind.__name__}"
            ) from None
        if self.choices and parsed not in self.choices:
            allowed = ", ".join(self.choices)
            raise InvalidOptionError(f"engine option {name}={value!r} is not one of: {allowed}")
        if isinstance(parsed, int | float) and not (
            (self.minimum is None or parsed >= self.minimum)
            and (self.maximum is None or parsed <= self.maximum)
        ):
            raise InvalidOptionError(
                f"engine option {name}={value!r} is outside [{self.minimum}, {self.maximum}]"
            )
        return parsed


class InvalidOptionError(PermanentError, ValueError):
    """An engine option that does not exist or has a value it does not allow."""


def retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds a service asks to wait before asking again (HTTP ``Retry-After``, in
    seconds or as a date); None when it says nothing readable."""
    value = headers.get("retry-after") if headers is not None else None
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def with_outer_space(source: str, text: str) -> str:
    """``text`` with the leading and trailing whitespace of ``source``: a segment's
    trailing space joins it to the next sentence of its paragraph, and services trim."""
    lead = source[: len(source) - len(source.lstrip())]
    trail = source[len(source.rstrip()) :] if source.strip() else ""
    return f"{lead}{text.strip()}{trail}"


class Engine(ABC):
    """Base class of every engine.

    Subclasses set ``name`` (the value users pass as ``--engine``) and implement
    :meth:`translate_batch`. :meth:`translate` checks the contract around it: every
    requested key answered, nothing else.
    """

    name: str = ""
    description: str = ""
    #: segments an engine sends in one request (None: one request per pipeline batch)
    segments_per_request: ClassVar[int | None] = None
    #: source characters in one request, at most (None: no limit but the segments')
    characters_per_request: ClassVar[int | None] = None
    #: whether a segment's document context (neighbours, headings, title, memory
    #: matches) shapes its translation, and so belongs in its cache key
    uses_context: ClassVar[bool] = False
    #: whether its output is in the target language (pseudo-localisation's is not:
    #: QA does not judge its language)
    translates: ClassVar[bool] = True
    #: whether the engine reads QA's findings on a first translation (an engine that
    #: cannot would answer a repair request as before, and bill it again)
    takes_feedback: ClassVar[bool] = False
    #: the options this engine takes, by name
    option_specs: ClassVar[Mapping[str, Option]] = {}
    #: whether :meth:`translate_batch` wraps its call to the service in
    #: :meth:`exchange`; an engine that does not holds its concurrency slot throughout
    marks_exchange: ClassVar[bool] = False

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        self.options: dict[str, Any] = self.check_options(options or {})

    @classmethod
    def check_options(cls, options: Mapping[str, Any]) -> dict[str, Any]:
        """``options`` parsed by their specs, defaults filled in; an unknown option or a
        value it does not allow raises :class:`InvalidOptionError` (at submission)."""
        unknown = sorted(set(options) - set(cls.option_specs))
        if unknown:
            known = ", ".join(sorted(cls.option_specs)) or "none"
            raise InvalidOptionError(
                f"the {cls.name} engine has no option {unknown[0]!r} (its options: {known})"
            )
        parsed = {name: spec.default for name, spec in cls.option_specs.items()}
        for name, value in options.items():
            parsed[name] = cls.option_specs[name].parse(name, value)
        return parsed

    @classmethod
    def configuration_problem(cls) -> str | None:
        """What this installation lacks for the engine to work (``None``: nothing), in
        words that name the setting to fix, e.g. "IRIS_DEEPL_AUTH_KEY is not set". A job
        for an engine that is not set up is refused when it is submitted: otherwise it
        would be extracted, then fail at its first batch."""
        return None

    @classmethod
    def not_set_up(cls) -> str | None:
        """:meth:`configuration_problem` as the sentence users read (a refused
        submission, a failed batch), naming the engine; ``None`` when it is set up."""
        problem = cls.configuration_problem()
        return None if problem is None else f"the {cls.name} engine is not set up: {problem}"

    @classmethod
    def check_pair(cls, source: str, target: str) -> None:
        """Raise :class:`UnsupportedPairError` (naming what the engine does translate)
        unless it translates ``source`` into ``target`` (BCP-47 tags; ``source`` may be
        ``auto``, not detected yet: then whether anything translates into ``target``).
        Called when a job is submitted, and again once an ``auto`` source is detected."""
        return None  # by default every pair (pseudo-localisation knows no languages)

    @classmethod
    def warm_up(cls) -> None:
        """Load now what the first request would otherwise load while the requests
        wait (a client library, its connection pool): called beside the work that
        comes before translation. Never raises: a problem shows in the first request,
        where it fails the batch with its message. Most engines have nothing to load."""
        return None

    @classmethod
    def price_keys(cls) -> tuple[str, ...]:
        """Keys of the price table for this engine, most specific first."""
        return (cls.name,)

    @classmethod
    def estimate(cls, sources: Sequence[str], batches: int) -> Usage:
        """What translating ``sources`` (tagged, each once) would use, without calling
        anything: billed characters by default; engines billed otherwise override."""
        return Usage(characters=sum(len(source) for source in sources))

    @classmethod
    def round_size(cls) -> int | None:
        """Segments translated in one round of concurrent requests (None: the engine
        takes a whole batch in one request): what the pipeline sizes batches by."""
        if cls.segments_per_request is None:
            return None
        return cls.segments_per_request * settings.IRIS_ENGINE_CONCURRENCY

    @classmethod
    def requests(cls, segments: int, batches: int) -> int:
        """How many requests ``segments`` in ``batches`` pipeline batches would take."""
        if cls.segments_per_request is None:
            return batches
        return max(batches, -(-segments // cls.segments_per_request))

    @property
    def cacheable(self) -> bool:
        """Whether answers are cached (an engine that costs nothing and answers at
        once need not be)."""
        return True

    def configuration(self) -> dict[str, Any]:
        """What, besides its options, decides this engine's output (a model, a
        server): part of every cache key, so changing it never serves stale answers."""
        return {}

    @cached_property
    def _configuration_hash(self) -> str:
        described = {"options": self.options, "configuration": self.configuration()}
        return _digest(json.dumps(described, sort_keys=True, default=str))

    def cache_key(self, request: EngineRequest, segment: EngineSegment) -> str:
        """The key of ``segment``'s answer: engine, configuration, language pair,
        tagged source, and what else the engine is given with it (terms, QA feedback,
        and the document context when the engine reads it)."""
        around: dict[str, Any] = {
            "terms": [asdict(term) for term in request.terms],
            "feedback": segment.feedback,
        }
        if self.uses_context:
            around |= {
                "context": asdict(segment.context),
                "matches": [asdict(match) for match in segment.matches],
            }
        context_hash = _digest(json.dumps(around, sort_keys=True))
        return _digest(
            "\x1f".join(
                (
                    self.name,
                    self._configuration_hash,
                    request.source_lang,
                    request.target_lang,
                    segment.source,
                    context_hash,
                )
            )
        )

    def _requests(self, segments: Sequence[EngineSegment]) -> Iterator[list[EngineSegment]]:
        """``segments`` cut into requests of at most ``segments_per_request`` segments
        and ``characters_per_request`` characters (a longer segment goes alone)."""
        most_segments = self.segments_per_request or len(segments)
        most_characters = self.characters_per_request
        chunk: list[EngineSegment] = []
        characters = 0
        for segment in segments:
            size = len(segment.source)
            if chunk and (
                len(chunk) >= most_segments
                or (most_characters is not None and characters + size > most_characters)
            ):
                yield chunk
                chunk, characters = [], 0
            chunk.append(segment)
            characters += size
        if chunk:
            yield chunk

    @contextmanager
    def exchange(self) -> Iterator[None]:
        """Around the call to the service in :meth:`translate_batch` (for an engine
        with :attr:`marks_exchange`): while a batch's requests are sent, one of its
        ``IRIS_ENGINE_CONCURRENCY`` slots and the rate limit are taken here, so parsing
        and checking an answer, outside, no longer keep the next request waiting."""
        sending = _SENDING.get()
        if sending is None:  # called outside a batch's sending: nothing to share
            yield
            return
        with sending.call():
            yield

    @abstractmethod
    def translate_batch(self, request: EngineRequest) -> EngineResult:
        """Translate every segment of ``request`` in one request to the service (none
        of them blank: :meth:`translate` answers those, and cuts requests to size);
        tags must be carried through."""

    def translate(self, request: EngineRequest, store: ResultStore | None = None) -> EngineResult:
        """Every segment of ``request`` translated, checked: every one answered,
        nothing else. Blank segments (whitespace only) are answered as they are: there
        is nothing to translate or bill, and a service would trim them. With a
        ``store``, cached answers are used and each request's answers and usage are
        recorded as soon as it returns (see the module's docstring); the result's
        usage is what this call's requests used."""
        blank = {s.key: s.source for s in request.segments if not s.source.strip()}
        sent = [s for s in request.segments if s.key not in blank]
        keys, hits = self._lookup(request, sent, store)
        targets = dict(blank)
        flags: dict[str, str] = {}
        for segment in sent:
            if keys.get(segment.key) in hits:
                targets[segment.key], flag = hits[keys[segment.key]]
                if flag:
                    flags[segment.key] = flag
        todo = [s for s in sent if s.key not in targets]
        usage = Usage()
        for chunk, result in self._send(request, todo):
            answers = self._checked(chunk, result)
            targets |= {key: target for key, (target, _) in answers.items()}
            flags |= {key: flag for key, (_, flag) in answers.items() if flag}
            usage += result.usage
            if store is not None:
                cached = {keys[k]: answer for k, answer in answers.items() if k in keys}
                store.record(cached, result.usage)
        return EngineResult(targets, usage, flags)

    def _lookup(
        self, request: EngineRequest, segments: Sequence[EngineSegment], store: ResultStore | None
    ) -> tuple[dict[str, str], Mapping[str, Answer]]:
        """The segments' cache keys (by segment key) and the answers cached for them."""
        if store is None or not self.cacheable or not segments:
            return {}, {}
        keys = {s.key: self.cache_key(request, s) for s in segments}
        return keys, store.cached(list(keys.values()))

    def to_send(self, request: EngineRequest, store: ResultStore | None) -> list[EngineSegment]:
        """The segments of ``request`` that :meth:`translate` would send (not blank,
        not cached): what a budget check estimates."""
        sent = [s for s in request.segments if s.source.strip()]
        keys, hits = self._lookup(request, sent, store)
        return [s for s in sent if keys.get(s.key) not in hits]

    def _checked(self, chunk: Sequence[EngineSegment], result: EngineResult) -> dict[str, Answer]:
        """One request's answers by key: every segment of ``chunk`` answered."""
        missing = [s.key for s in chunk if s.key not in result.targets]
        if missing:
            raise PermanentError(
                f"engine {self.name} returned no translation for {len(missing)} segment(s)"
            )
        return {s.key: (result.targets[s.key], result.flags.get(s.key, "")) for s in chunk}

    def _send(
        self, request: EngineRequest, segments: Sequence[EngineSegment]
    ) -> Iterator[tuple[list[EngineSegment], EngineResult]]:
        """Each request's segments and result, as the requests finish (at most
        ``IRIS_ENGINE_CONCURRENCY`` at once). When one fails, those already sent are
        still waited for and yielded (they are paid for), then its error is raised."""
        chunks = list(self._requests(segments))
        slots = settings.IRIS_ENGINE_CONCURRENCY
        sending = _Sending(_slots(self.name, slots), rate_limiter(self.name))

        def ask(chunk: list[EngineSegment]) -> EngineResult:
            batch = replace(request, segments=chunk)
            token = _SENDING.set(sending)  # for exchange(), in this thread
            try:
                if self.marks_exchange:
                    return self.translate_batch(batch)
                with self.exchange():  # the whole request holds its slot
                    return self.translate_batch(batch)
            except BaseException:
                sending.fail()
                raise
            finally:
                _SENDING.reset(token)

        # An engine that marks its exchanges has two threads per slot: one checks an
        # answer while the other's request is out. One slot stays one request at a time,
        # in order, as a service allowing no concurrency expects.
        threads = 2 * slots if self.marks_exchange and slots > 1 else slots
        if len(chunks) <= 1 or threads == 1:
            for chunk in chunks:
                yield chunk, ask(chunk)
            return
        workers = min(threads, len(chunks))
        error: BaseException | None = None
        with ThreadPoolExecutor(workers, thread_name_prefix=f"engine-{self.name}") as pool:
            futures: dict[Future[EngineResult], list[EngineSegment]] = {
                pool.submit(ask, chunk): chunk for chunk in chunks
            }
            for future in as_completed(futures):
                if future.cancelled():
                    continue
                failure = future.exception()
                if isinstance(failure, _NotSent):
                    continue  # stopped before its call by another request's failure
                if failure is not None:
                    if error is None:
                        error = failure
                        for waiting in futures:
                            waiting.cancel()  # not started yet: never sent
                    continue
                yield futures[future], future.result()
        if error is not None:
            raise error


class _NotSent(Exception):
    """A request stopped before its call to the service: another of its batch failed."""


class _Slots:
    """An engine's ``IRIS_ENGINE_CONCURRENCY`` calls to its service, shared by every
    batch this process sends to it (an in-process job may translate two batches at
    once, iris/jobs/flow.py): at most that many calls out, granted in the order they
    are asked for, so a batch that started first is served first."""

    def __init__(self, count: int) -> None:
        self._free = count
        self._waiting: deque[object] = deque()
        self.changed = threading.Condition()

    @contextmanager
    def take(self, sending: _Sending) -> Iterator[None]:
        """One slot for a call of ``sending``'s batch; :class:`_NotSent` once that
        batch has failed (its other calls out finish, and are paid for)."""
        with self.changed:
            ticket = object()
            self._waiting.append(ticket)
            try:
                self.changed.wait_for(
                    lambda: sending.failed or (self._waiting[0] is ticket and self._free > 0)
                )
            finally:
                self._waiting.remove(ticket)
                self.changed.notify_all()
            if sending.failed:
                raise _NotSent
            self._free -= 1
        try:
            yield
        finally:
            with self.changed:
                self._free += 1
                self.changed.notify_all()


_SLOTS: dict[tuple[str, int], _Slots] = {}
_SLOTS_LOCK = threading.Lock()


def _slots(engine: str, count: int) -> _Slots:
    """The process's slots of ``engine`` (per count: a changed setting starts afresh)."""
    with _SLOTS_LOCK:
        return _SLOTS.setdefault((engine, count), _Slots(count))


class _Sending:
    """A batch's requests on their way to the service: each call takes one of the
    engine's process-wide slots (:class:`_Slots`) and the rate limit, and none is made
    once a request of the batch has failed."""

    def __init__(self, slots: _Slots, limiter: RateLimiter) -> None:
        self._slots = slots
        self._limiter = limiter
        self.failed = False

    def fail(self) -> None:
        with self._slots.changed:
            self.failed = True
            self._slots.changed.notify_all()

    @contextmanager
    def call(self) -> Iterator[None]:
        with self._slots.take(self):
            self._limiter.wait()
            yield


#: The sending of the batch whose request this thread makes (set by :meth:`Engine._send`
#: around each request, for :meth:`Engine.exchange`).
_SENDING: ContextVar[_Sending | None] = ContextVar("engine_sending", default=None)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
