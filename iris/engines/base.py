"""The engine contract: translate a batch of tagged segments for a language pair.

An engine module defines one :class:`Engine` subclass and is listed in the
``IRIS_ENGINES`` setting; nothing else in Iris changes to add one. Engines raise
:class:`TransientError` for failures worth retrying (timeouts, rate limits, 5xx) and
:class:`PermanentError` for the rest (bad credentials, unsupported language); the
pipeline's task layer owns retries and backoff, so engines never loop themselves.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar


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
    #: the options this engine takes, by name
    option_specs: ClassVar[Mapping[str, Option]] = {}

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
    def check_pair(cls, source: str, target: str) -> None:
        """Raise :class:`UnsupportedPairError` (naming what the engine does translate)
        unless it translates ``source`` into ``target`` (BCP-47 tags; ``source`` may be
        ``auto``, not detected yet: then whether anything translates into ``target``).
        Called when a job is submitted, and again once an ``auto`` source is detected."""
        return None  # by default every pair (pseudo-localisation knows no languages)

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
    def requests(cls, segments: int, batches: int) -> int:
        """How many requests ``segments`` in ``batches`` pipeline batches would take."""
        if cls.segments_per_request is None:
            return batches
        return max(batches, -(-segments // cls.segments_per_request))

    @abstractmethod
    def translate_batch(self, request: EngineRequest) -> EngineResult:
        """Translate every segment of ``request`` (none of them blank: :meth:`translate`
        answers those); tags must be carried through."""

    def translate(self, request: EngineRequest) -> EngineResult:
        """:meth:`translate_batch` on the segments that have text, checked: every one
        answered, nothing else. Blank segments (whitespace only) are answered as they
        are: there is nothing to translate or bill, and a service would trim them."""
        blank = {s.key: s.source for s in request.segments if not s.source.strip()}
        sent = [s for s in request.segments if s.key not in blank]
        if not sent:
            return EngineResult(blank, Usage())
        result = self.translate_batch(replace(request, segments=sent))
        asked = {segment.key for segment in sent}
        missing = asked - set(result.targets)
        if missing:
            raise PermanentError(
                f"engine {self.name} returned no translation for {len(missing)} segment(s)"
            )
        return EngineResult(
            blank | {key: result.targets[key] for key in asked},
            result.usage,
            {key: flag for key, flag in result.flags.items() if key in asked},
        )
