"""What every check shares: issues, the segment a check reads, and the two registries.

A segment check takes a :class:`SegmentView` and returns issues; a job check takes
every (key, source plain text, target plain text) row of a job and returns issues by
key. Both are registered by id with a decorator, and the package imports every module
of its folder, so a new check is one decorated function and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any, TypeVar

import langcodes

from iris.engines.base import Term


class Severity(StrEnum):
    WARNING = "warning"
    ERROR = "error"


#: Scripts written without spaces between words (Han, kana, Thai, Lao, Myanmar, Khmer)
#: and Hangul, whose words are short: there a term is a substring, not a word.
UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f]"
)

#: ``(start, end)``: a half-open range of code points in the target's plain text (the
#: text without tags, as `iris.docx.text.tags.plain_text` gives it). ``start == end`` marks
#: a position, such as where a tag stands.
Span = tuple[int, int]


@dataclass(frozen=True)
class Issue:
    """One finding: its check's id, severity, message and, when the finding lies in the
    target, the :data:`Span` it concerns. What the target lacks (a number, an address,
    a glossary term) has no span; the message names it."""

    check: str
    severity: Severity
    message: str
    span: Span | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: ``check``, ``severity``, ``message`` and, when set,
        ``span`` as ``[start, end]`` (typed ``Any``: callers still declare issues as
        ``dict[str, str]``)."""
        data: dict[str, Any] = {
            "check": self.check,
            "severity": str(self.severity),
            "message": self.message,
        }
        if self.span is not None:
            data["span"] = list(self.span)
        return data


@dataclass(frozen=True)
class SegmentView:
    """One segment as the checks read it. The languages are BCP 47 tags (empty when
    unknown: the checks that need them then stay silent); ``terms`` are the glossary
    entries that concern the segment."""

    source: str
    target: str
    source_plain: str
    target_plain: str
    source_lang: str = ""
    target_lang: str = ""
    terms: Sequence[Term] = ()


Check = Callable[[SegmentView], list[Issue]]
REGISTRY: dict[str, Check] = {}

#: one row of a job: a key the caller chooses (a segment's id), its source's and its
#: target's plain text
JobRow = tuple[Hashable, str, str]
JobCheck = Callable[[Sequence[JobRow]], dict[Hashable, list[Issue]]]
JOB_REGISTRY: dict[str, JobCheck] = {}
_J = TypeVar("_J", bound=JobCheck)


def register(name: str) -> Callable[[Check], Check]:
    """Register a segment check under a stable id (an identifier, never reused)."""

    def wrap(check: Check) -> Check:
        _claim(name)
        REGISTRY[name] = check
        selected_checks.cache_clear()
        return check

    return wrap


@lru_cache(maxsize=64)
def selected_checks(enabled: frozenset[str] | None, skip: frozenset[str]) -> tuple[Check, ...]:
    """The segment checks to run, in the registry's order: those ``enabled`` (None:
    all) but for those in ``skip``. Chosen once per job's options rather than per
    segment; registering a check forgets every choice."""
    return tuple(
        check
        for name, check in REGISTRY.items()
        if (enabled is None or name in enabled) and name not in skip
    )


def register_job(name: str) -> Callable[[_J], _J]:
    """Register a check over a whole job's rows (generic in the rows' key); ids share
    one namespace with segment checks, so a job's option names either kind alike."""

    def wrap(check: _J) -> _J:
        _claim(name)
        JOB_REGISTRY[name] = check
        return check

    return wrap


def _claim(name: str) -> None:
    if not name.isidentifier():
        raise ValueError(f"a check id must be an identifier, not {name!r}")
    if name in REGISTRY or name in JOB_REGISTRY:
        raise ValueError(f"two checks registered as {name!r}")


@lru_cache(maxsize=256)
def base_language(tag: str) -> str:
    """The language subtag of a BCP 47 tag (``pt-BR`` -> ``pt``), ``""`` when the tag
    is empty or cannot be read."""
    if not tag:
        return ""
    try:
        language = langcodes.Language.get(tag).language
    except ValueError:  # langcodes' LanguageTagError
        return ""
    return language or ""


def same_language(view: SegmentView) -> bool:
    """Whether the job's two languages are known and share a language subtag
    (``en-US`` -> ``en-GB``): then a target may equal its source."""
    source = base_language(view.source_lang)
    return bool(source) and source == base_language(view.target_lang)
