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
from dataclasses import dataclass, field
from typing import Any


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

    def as_dict(self) -> dict[str, Any]:
        return {
            "previous": self.previous,
            "next": self.next,
            "headings": list(self.headings),
            "title": self.title,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> SegmentContext:
        data = data or {}
        return cls(
            previous=str(data.get("previous", "")),
            next=str(data.get("next", "")),
            headings=tuple(str(h) for h in data.get("headings", ())),
            title=str(data.get("title", "")),
        )


@dataclass(frozen=True)
class EngineSegment:
    """One segment to translate: ``key`` is opaque to the engine, ``source`` is tagged."""

    key: str
    source: str
    context: SegmentContext = field(default_factory=SegmentContext)


@dataclass(frozen=True)
class EngineRequest:
    source_lang: str
    target_lang: str
    segments: Sequence[EngineSegment]


@dataclass(frozen=True)
class Usage:
    """What a batch cost: billed characters, tokens (LLMs) and money (in USD)."""

    characters: int = 0
    tokens: int = 0
    cost: float = 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"characters": self.characters, "tokens": self.tokens, "cost": self.cost}


@dataclass(frozen=True)
class EngineResult:
    targets: Mapping[str, str]
    usage: Usage
    #: key -> what the engine itself found wrong with that target (kept, not hidden:
    #: QA records it as an error for review)
    flags: Mapping[str, str] = field(default_factory=dict)


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

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        self.options: dict[str, Any] = dict(options or {})

    @classmethod
    def check_pair(cls, source: str, target: str) -> None:
        """Raise :class:`UnsupportedPairError` (naming what the engine does translate)
        unless it translates ``source`` into ``target`` (BCP-47 tags; ``source`` may be
        ``auto``, not detected yet: then whether anything translates into ``target``).
        Called when a job is submitted, and again once an ``auto`` source is detected."""
        return None  # by default every pair (pseudo-localisation knows no languages)

    @abstractmethod
    def translate_batch(self, request: EngineRequest) -> EngineResult:
        """Translate every segment of ``request``; tags must be carried through."""

    def translate(self, request: EngineRequest) -> EngineResult:
        result = self.translate_batch(request)
        asked = {segment.key for segment in request.segments}
        missing = asked - set(result.targets)
        if missing:
            raise PermanentError(
                f"engine {self.name} returned no translation for {len(missing)} segment(s)"
            )
        return EngineResult(
            {key: result.targets[key] for key in asked},
            result.usage,
            {key: flag for key, flag in result.flags.items() if key in asked},
        )
