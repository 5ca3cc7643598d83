"""Spacing and punctuation: outer whitespace, double spaces, the sentence's final mark,
brackets and quotation marks. Each blames the translation only for what its source
does not already have."""

from __future__ import annotations

import re

from iris.qa.checks.base import Issue, SegmentView, Severity, Span, register


@register("outer_whitespace")
def check_outer_whitespace(view: SegmentView) -> list[Issue]:
    source, target = view.source_plain, view.target_plain
    if not target.strip():
        return []
    issues = []
    if source[:1].isspace() != target[:1].isspace():
        leading = len(target) - len(target.lstrip())
        issues.append(
            Issue("outer_whitespace", Severity.WARNING, "leading space differs", (0, leading))
        )
    if source[-1:].isspace() != target[-1:].isspace():
        trailing = len(target.rstrip())
        span = (trailing, len(target))
        issues.append(Issue("outer_whitespace", Severity.WARNING, "trailing space differs", span))
    return issues


_DOUBLE_SPACE = re.compile(r"(?<=\S) {2,}(?=\S)")


@register("double_space")
def check_double_space(view: SegmentView) -> list[Issue]:
    if "  " not in view.target_plain or "  " in view.source_plain.strip():
        return []
    found = _DOUBLE_SPACE.search(view.target_plain)
    if found is None:
        return []  # only at the edges: the outer_whitespace check's
    message = "the translation has a double space"
    return [Issue("double_space", Severity.WARNING, message, found.span())]


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


def _final_mark(text: str) -> tuple[str | None, int]:
    """The kind of ``text``'s sentence-final mark (None: no mark) and where its last
    character other than closing quotes and brackets stands."""
    stripped = text.rstrip().rstrip(_AFTER_FINAL)
    return (_FINAL_KIND.get(stripped[-1:]) if stripped else None), len(stripped) - 1


@register("end_punctuation")
def check_end_punctuation(view: SegmentView) -> list[Issue]:
    source, _ = _final_mark(view.source_plain)
    if source is None or not view.target_plain.strip():
        return []
    target, at = _final_mark(view.target_plain)
    # A full stop may go (titles, Thai); a question or an exclamation may not, and no
    # mark may become another.
    if target == source or (source == "." and target is None):
        return []
    shown = view.source_plain.rstrip()[-1]
    span = (at, at + 1) if target is not None else (at + 1, at + 1)
    message = f"the source ends with {shown!r}, the translation does not"
    return [Issue("end_punctuation", Severity.WARNING, message, span)]


_BRACKET_PAIRS = (("(", ")"), ("[", "]"), ("{", "}"))
_ANY_BRACKET = re.compile(r"[()\[\]{}]")
_QUOTE_PAIRS = (("“", "”"), ("«", "»"), ("「", "」"), ("『", "』"), ("‹", "›"))
_ANY_QUOTE = re.compile("[“”«»「」『』‹›]")


def _balanced(text: str, pairs: tuple[tuple[str, str], ...]) -> bool:
    """As many closing as opening marks of each kind (order is not judged)."""
    # A loop, not all() over a generator (ruff's SIM110): this runs on most segments,
    # and the loop takes a third less time.
    for left, right in pairs:  # noqa: SIM110
        if text.count(left) != text.count(right):
            return False
    return True


def _first_unmatched(text: str, pairs: tuple[tuple[str, str], ...]) -> Span | None:
    """Where the first mark without its partner stands (on the unbalanced path only)."""
    opener_of = {right: left for left, right in pairs}
    open_at: dict[str, list[int]] = {left: [] for left, _ in pairs}
    unmatched: list[int] = []
    for index, char in enumerate(text):
        if char in open_at:
            open_at[char].append(index)
        elif char in opener_of:
            stack = open_at[opener_of[char]]
            if stack:
                stack.pop()
            else:
                unmatched.append(index)
    unmatched += [index for stack in open_at.values() for index in stack]
    return (min(unmatched), min(unmatched) + 1) if unmatched else None


def _unbalanced_issue(
    view: SegmentView, check: str, pairs: tuple[tuple[str, str], ...], what: str
) -> list[Issue]:
    target = view.target_plain
    if _balanced(target, pairs) or not _balanced(view.source_plain, pairs):
        return []
    message = f"the translation's {what} are unbalanced"
    return [Issue(check, Severity.WARNING, message, _first_unmatched(target, pairs))]


@register("brackets")
def check_brackets(view: SegmentView) -> list[Issue]:
    if _ANY_BRACKET.search(view.target_plain) is None:
        return []
    return _unbalanced_issue(view, "brackets", _BRACKET_PAIRS, "brackets")


@register("quotes")
def check_quotes(view: SegmentView) -> list[Issue]:
    if _ANY_QUOTE.search(view.target_plain) is None:
        return []
    return _unbalanced_issue(view, "quotes", _QUOTE_PAIRS, "quotation marks")
