"""Verification checks and their registry.

A check looks at one segment (tagged source and target) and returns issues; each
issue has a code, a severity and a message. The QA issue extends this registry
(glossary, forbidden terms, length, spacing, punctuation, URLs, inconsistency).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass
from enum import StrEnum

from iris.docx.errors import TagError
from iris.docx.tags import plain_text, validate_tags


class Severity(StrEnum):
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Issue:
    check: str
    severity: Severity
    message: str

    def as_dict(self) -> dict[str, str]:
        return {k: str(v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class SegmentView:
    source: str
    target: str
    source_plain: str
    target_plain: str


Check = Callable[[SegmentView], list[Issue]]
REGISTRY: dict[str, Check] = {}


def register(name: str) -> Callable[[Check], Check]:
    def wrap(check: Check) -> Check:
        REGISTRY[name] = check
        return check

    return wrap


@register("tags")
def check_tags(view: SegmentView) -> list[Issue]:
    return [
        Issue("tags", Severity.ERROR, f"tag {issue.tag}: {issue.message}")
        for issue in validate_tags(view.source, view.target)
    ]


@register("empty")
def check_empty(view: SegmentView) -> list[Issue]:
    if view.source_plain.strip() and not view.target_plain.strip():
        return [Issue("empty", Severity.ERROR, "the translation is empty")]
    return []


@register("untranslated")
def check_untranslated(view: SegmentView) -> list[Issue]:
    has_letters = any(ch.isalpha() for ch in view.source_plain)
    if has_letters and view.source_plain.strip() == view.target_plain.strip():
        return [Issue("untranslated", Severity.WARNING, "the translation equals the source")]
    return []


_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d+)*")
_NOT_DIGIT = re.compile(r"\D")


def _numbers(text: str) -> list[str]:
    """The numbers of ``text``, sorted, each as its ASCII digits.

    A number is a run of decimal digits of any script (Arabic-Indic, Devanagari,
    full-width …: compared by value), read after compatibility normalisation (so
    superscripts and circled digits count); grouping and decimal separators are
    ignored, since they legitimately change between languages.
    """
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return sorted(_ascii_digits(_NOT_DIGIT.sub("", match)) for match in _NUMBER.findall(text))


def _ascii_digits(digits: str) -> str:
    if digits.isascii():
        return digits
    return "".join(str(unicodedata.decimal(ch)) for ch in digits)


@register("numbers")
def check_numbers(view: SegmentView) -> list[Issue]:
    source, target = _numbers(view.source_plain), _numbers(view.target_plain)
    if source == target:
        return []
    missing = sorted((Counter(source) - Counter(target)).elements())
    extra = sorted((Counter(target) - Counter(source)).elements())
    issues = []
    if missing:
        issues.append(Issue("numbers", Severity.WARNING, f"numbers missing: {', '.join(missing)}"))
    if extra:
        issues.append(Issue("numbers", Severity.WARNING, f"numbers added: {', '.join(extra)}"))
    return issues


def run_checks(source: str, target: str, *, skip: Collection[str] = ()) -> list[Issue]:
    """Every registered check on one segment, except those named in ``skip`` (a caller
    that has just validated the tags need not pay for it twice)."""
    try:
        view = SegmentView(source, target, plain_text(source), plain_text(target))
    except TagError as exc:
        return [Issue("tags", Severity.ERROR, f"the translation's tags cannot be read: {exc}")]
    return [issue for name, check in REGISTRY.items() if name not in skip for issue in check(view)]
