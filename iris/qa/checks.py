"""Verification checks and their registry.

A check looks at one segment (tagged source and target and their plain text) and
returns issues; each issue has a stable check id, a severity
(errors must be fixed or waived, warnings are for review) and a message. Adding a
check is one decorated function in this module: ``@register("id")``.

Every check is cheap on the text that cannot concern it (a character test before any
regular expression), since all of them run on every translated segment.
"""

from __future__ import annotations

import itertools
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


_PLACEHOLDER = re.compile(
    # printf (%s, %1$s, %(name)s, %-5.2f), never a percentage ("90% of": no space flag)
    r"(?<![\d%])%(?:\d+\$|\([A-Za-z_]\w*\))?[-+#0]*\d*(?:\.\d+)?[sdifgexXrcuo](?![A-Za-z])"
    # {{var}}, ${var}, {name}, {0}
    r"|\{\{[^{}]*\}\}|\$\{[^{}]*\}|\{[A-Za-z_0-9.:!]*\}"
)


def _placeholders(text: str) -> Counter[str]:
    if "%" not in text and "{" not in text:
        return Counter()
    return Counter(m for m in _PLACEHOLDER.findall(text) if m != "%%")


@register("placeholders")
def check_placeholders(view: SegmentView) -> list[Issue]:
    both = view.source_plain + view.target_plain
    if "%" not in both and "{" not in both:
        return []
    source, target = _placeholders(view.source_plain), _placeholders(view.target_plain)
    if source == target:
        return []
    missing = sorted((source - target).elements())
    extra = sorted((target - source).elements())
    detail = "; ".join(
        part
        for part in (
            f"missing {', '.join(missing)}" if missing else "",
            f"added {', '.join(extra)}" if extra else "",
        )
        if part
    )
    return [Issue("placeholders", Severity.ERROR, f"placeholders differ: {detail}")]


_URL = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>\"'()]+[^\s<>\"'().,;:!?]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)


def _urls(text: str) -> Counter[str]:
    if "://" not in text and "www." not in text and "@" not in text:
        return Counter()
    return Counter(_URL.findall(text))


@register("urls")
def check_urls(view: SegmentView) -> list[Issue]:
    text = view.source_plain
    if "://" not in text and "www." not in text and "@" not in text:
        return []  # nothing that could go missing
    source, target = _urls(view.source_plain), _urls(view.target_plain)
    missing = sorted((source - target).elements())
    if not missing:
        return []
    return [Issue("urls", Severity.ERROR, f"addresses changed or missing: {', '.join(missing)}")]


@register("outer_whitespace")
def check_outer_whitespace(view: SegmentView) -> list[Issue]:
    source, target = view.source_plain, view.target_plain
    if not target.strip():
        return []
    issues = []
    if source[:1].isspace() != target[:1].isspace():
        issues.append(Issue("outer_whitespace", Severity.WARNING, "leading space differs"))
    if source[-1:].isspace() != target[-1:].isspace():
        issues.append(Issue("outer_whitespace", Severity.WARNING, "trailing space differs"))
    return issues


@register("double_space")
def check_double_space(view: SegmentView) -> list[Issue]:
    if "  " in view.target_plain.strip() and "  " not in view.source_plain.strip():
        return [Issue("double_space", Severity.WARNING, "the translation has a double space")]
    return []


# Sentence-final marks by kind, across scripts (Latin, CJK full-width, Arabic, Devanagari,
# Greek's question mark, Armenian, Ethiopic).
_FINAL = {
    ".": "。．।።։",
    "?": "？؟;՞፧",
    "!": "！՜",
    ":": "：",
}
_FINAL_KIND = {mark: kind for kind, marks in _FINAL.items() for mark in kind + marks}
_CLOSING = "\"'”’»」』）)]"
#: what may follow the final mark: closing quotes and brackets, and the tildes with
#: which pseudo-localisation pads inside its brackets
_AFTER_FINAL = _CLOSING + "~ "


def _final_kind(text: str) -> str | None:
    stripped = text.rstrip().rstrip(_AFTER_FINAL)
    return _FINAL_KIND.get(stripped[-1:]) if stripped else None


@register("end_punctuation")
def check_end_punctuation(view: SegmentView) -> list[Issue]:
    source = _final_kind(view.source_plain)
    if source is None or not view.target_plain.strip():
        return []
    target = _final_kind(view.target_plain)
    # A full stop may go (titles, Thai); a question or an exclamation may not, and no
    # mark may become another.
    if target == source or (source == "." and target is None):
        return []
    shown = view.source_plain.rstrip()[-1]
    return [
        Issue(
            "end_punctuation",
            Severity.WARNING,
            f"the source ends with {shown!r}, the translation does not",
        )
    ]


_BRACKET_PAIRS = (("(", ")"), ("[", "]"), ("{", "}"))
_ANY_BRACKET = re.compile(r"[()\[\]{}]")


def _balanced(text: str) -> bool:
    """As many closing as opening brackets of each kind (order is not judged)."""
    return all(text.count(left) == text.count(right) for left, right in _BRACKET_PAIRS)


@register("brackets")
def check_brackets(view: SegmentView) -> list[Issue]:
    target = view.target_plain
    if _ANY_BRACKET.search(target) is None or _balanced(target):
        return []
    if not _balanced(view.source_plain):
        return []
    return [Issue("brackets", Severity.WARNING, "the translation's brackets are unbalanced")]


_QUOTE_PAIRS = (("“", "”"), ("«", "»"), ("「", "」"), ("『", "』"), ("‹", "›"))
_ANY_QUOTE = re.compile("[“”«»「」『』‹›]")


def _quotes_balanced(text: str) -> bool:
    return all(text.count(left) == text.count(right) for left, right in _QUOTE_PAIRS)


@register("quotes")
def check_quotes(view: SegmentView) -> list[Issue]:
    if _ANY_QUOTE.search(view.target_plain) is None:
        return []
    if _quotes_balanced(view.target_plain) or not _quotes_balanced(view.source_plain):
        return []
    return [Issue("quotes", Severity.WARNING, "the translation's quotation marks are unbalanced")]


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
    r"^\W*(?:i'?m sorry|i am sorry|i apologi[sz]e|i cannot|i can'?t|as an ai|as a language model"
    r"|here is the translation|here'?s the translation|translation\s*:|sure[,!])",
    re.IGNORECASE,
)


@register("refusal")
def check_refusal(view: SegmentView) -> list[Issue]:
    target = view.target_plain
    if not target[:1].isascii() or _REFUSAL.match(target) is None:
        return []
    if _REFUSAL.match(view.source_plain):
        return []
    return [
        Issue(
            "refusal",
            Severity.ERROR,
            "the translation is an explanation or a refusal, not a translation",
        )
    ]


_REPEATED = re.compile(r"\b(\w{2,})\s+\1\b", re.IGNORECASE)


def _doubled(text: str) -> bool:
    """Whether a word follows itself (a quick look before the regular expression)."""
    words = text.lower().split()
    return any(a == b for a, b in itertools.pairwise(words))


@register("repeated_word")
def check_repeated_word(view: SegmentView) -> list[Issue]:
    if not _doubled(view.target_plain):
        return []
    found = _REPEATED.search(view.target_plain)
    if found is None or _REPEATED.search(view.source_plain):
        return []
    return [Issue("repeated_word", Severity.WARNING, f"{found.group(0)!r}: a word repeated")]


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


@register("control_characters")
def check_control_characters(view: SegmentView) -> list[Issue]:
    found = _CONTROL.search(view.target_plain)
    if found is None or _CONTROL.search(view.source_plain):
        return []
    return [
        Issue(
            "control_characters",
            Severity.ERROR,
            f"the translation holds the character U+{ord(found.group(0)):04X} (damaged text)",
        )
    ]


@register("language")
def check_language(view: SegmentView) -> list[Issue]:
    """Left (mostly) in the source language: most of the translation's words are the
    source's own. Names and terms repeat across languages, so only when most do."""
    if len(view.target_plain) < 30 or view.source_plain.strip() == view.target_plain.strip():
        return []  # too short to judge; wholly equal is the "untranslated" check's
    words = [w for w in view.target_plain.lower().split() if len(w) > 3]
    if len(words) < 5:
        return []
    source = set(view.source_plain.lower().split())
    shared = sum(1 for w in words if w in source)
    if shared * 10 < len(words) * 7:
        return []
    message = f"{shared} of its {len(words)} words are the source's: left in the source language?"
    return [Issue("language", Severity.WARNING, message)]


def run_checks(source: str, target: str, *, skip: Collection[str] = ()) -> list[Issue]:
    """Every registered check on one segment, except those named in ``skip`` (a caller
    that has just validated the tags need not pay for it twice)."""
    try:
        view = SegmentView(source, target, plain_text(source), plain_text(target))
    except TagError as exc:
        return [Issue("tags", Severity.ERROR, f"the translation's tags cannot be read: {exc}")]
    return [issue for name, check in REGISTRY.items() if name not in skip for issue in check(view)]
