"""Whether there is a translation at all: empty, untranslated, far too short or long,
an explanation or refusal instead of a translation, damaged text."""

from __future__ import annotations

import operator
import re
import unicodedata

from iris.qa.checks.base import Issue, SegmentView, Severity, register, same_language


@register("empty")
def check_empty(view: SegmentView) -> list[Issue]:
    if view.source_plain.strip() and not view.target_plain.strip():
        return [Issue("empty", Severity.ERROR, "the translation is empty")]
    return []


@register("untranslated")
def check_untranslated(view: SegmentView) -> list[Issue]:
    if view.source_plain.strip() != view.target_plain.strip() or same_language(view):
        return []
    if any(ch.isalpha() for ch in view.source_plain):
        return [Issue("untranslated", Severity.WARNING, "the translation equals the source")]
    return []


_WIDE = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL")


def _wide_script(text: str) -> bool:
    """Mostly CJK: a translation there takes far fewer characters."""
    letters = [ch for ch in text if ch.isalpha()][:40]
    wide = sum(1 for ch in letters if unicodedata.name(ch, "").startswith(_WIDE))
    return bool(letters) and wide * 2 > len(letters)


@register("length")
def check_length(view: SegmentView) -> list[Issue]:
    source, target = view.source_plain.strip(), view.target_plain.strip()
    if len(source) < 20 or not target:
        return []
    ratio = len(target) / len(source)
    if 0.3 <= ratio <= 3.0:
        return []
    # CJK says in one character what takes several elsewhere: wider bounds across.
    low = 0.15 if _wide_script(target) and not _wide_script(source) else 0.3
    high = 6.0 if _wide_script(source) and not _wide_script(target) else 3.0
    if low <= ratio <= high:
        return []
    what = "shorter" if ratio < low else "longer"
    message = f"the translation is {ratio:.1f}× the source's length, much {what} than expected"
    return [Issue("length", Severity.WARNING, message)]


_REFUSAL = re.compile(
    r"^\W*(i'?m sorry|i am sorry|i apologi[sz]e|i cannot|i can'?t|as an ai|as a language model"
    r"|here is the translation|here'?s the translation|translation\s*:|sure[,!])",
    re.IGNORECASE,
)


@register("refusal")
def check_refusal(view: SegmentView) -> list[Issue]:
    target = view.target_plain
    if not target[:1].isascii():
        return []
    found = _REFUSAL.match(target)
    if found is None or _REFUSAL.match(view.source_plain):
        return []
    message = "the translation is an explanation or a refusal, not a translation"
    return [Issue("refusal", Severity.ERROR, message, found.span(1))]


_REPEATED = re.compile(r"\b(\w{2,})\s+\1\b", re.IGNORECASE)


def _doubled(text: str) -> bool:
    """Whether a word follows itself (a quick look before the regular expression)."""
    words = text.lower().split()
    return any(map(operator.eq, words, words[1:]))


@register("repeated_word")
def check_repeated_word(view: SegmentView) -> list[Issue]:
    if not _doubled(view.target_plain):
        return []
    found = _REPEATED.search(view.target_plain)
    if found is None or _REPEATED.search(view.source_plain):
        return []
    message = f"{found.group(0)!r}: a word repeated"
    return [Issue("repeated_word", Severity.WARNING, message, found.span())]


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


@register("control_characters")
def check_control_characters(view: SegmentView) -> list[Issue]:
    found = _CONTROL.search(view.target_plain)
    if found is None or _CONTROL.search(view.source_plain):
        return []
    message = f"the translation holds the character U+{ord(found.group(0)):04X} (damaged text)"
    return [Issue("control_characters", Severity.ERROR, message, found.span())]
