"""What must come through a translation unchanged: inline tags, placeholders and
template tags, web addresses and e-mail addresses."""

from __future__ import annotations

import itertools
import re
from collections import Counter

from iris.docx import TagError, tokenize, validate_tags
from iris.qa.checks.base import Issue, SegmentView, Severity, Span, register


@register("tags")
def check_tags(view: SegmentView) -> list[Issue]:
    found = validate_tags(view.source, view.target)
    if not found:
        return []
    spans = _tag_spans(view.target)
    return [
        Issue("tags", Severity.ERROR, f"tag {issue.tag}: {issue.message}", spans.get(issue.tag))
        for issue in found
    ]


def _tag_spans(tagged: str) -> dict[int | None, Span]:
    """Each tag's reach in the plain text: from where it (or its pair) opens to where
    it closes; a standalone tag is a position. Empty when the syntax is broken."""
    try:
        tokens = tokenize(tagged)
    except TagError:
        return {}
    spans: dict[int | None, Span] = {}
    offset = 0
    for token in tokens:
        if token.id is None:
            offset += len(token.text)
        else:
            start = spans[token.id][0] if token.id in spans else offset
            spans[token.id] = (start, offset)
    return spans


_PLACEHOLDER = re.compile(
    # printf (%s, %1$s, %(name)s, %-5.2f), never a percentage ("90% of": no space flag)
    r"(?<![\d%])%(?:\d+\$|\([A-Za-z_]\w*\))?[-+#0]*\d*(?:\.\d+)?[sdifgexXrcuo](?![A-Za-z])"
    # {{var}}, ${var}, {name}, {0}
    r"|\{\{[^{}]*\}\}|\$\{[^{}]*\}|\{[A-Za-z_0-9.:!]*\}"
)


def _may_hold_placeholders(text: str) -> bool:
    return "%" in text or "{" in text


def _placeholders(text: str) -> list[re.Match[str]]:
    if not _may_hold_placeholders(text):
        return []
    return [m for m in _PLACEHOLDER.finditer(text) if m.group() != "%%"]


@register("placeholders")
def check_placeholders(view: SegmentView) -> list[Issue]:
    if not (_may_hold_placeholders(view.source_plain) or _may_hold_placeholders(view.target_plain)):
        return []
    source = [found.group() for found in _placeholders(view.source_plain)]
    target = _placeholders(view.target_plain)
    written = [found.group() for found in target]
    if source == written:
        return []
    missing = _unmatched(source, written)
    issues = []
    if missing:
        message = f"placeholders missing: {', '.join(missing)}"
        issues.append(Issue("placeholders", Severity.ERROR, message))
    for index in _unmatched_at(written, source):
        found = target[index]
        message = f"placeholder added: {found.group()}"
        issues.append(Issue("placeholders", Severity.ERROR, message, found.span()))
    return issues


_URL = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>\"'()]+[^\s<>\"'().,;:!?]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)


def _may_hold_urls(text: str) -> bool:
    return "://" in text or "www." in text or "@" in text


@register("urls")
def check_urls(view: SegmentView) -> list[Issue]:
    if not _may_hold_urls(view.source_plain):
        return []  # nothing that could go missing
    source = _URL.findall(view.source_plain)
    target = list(_URL.finditer(view.target_plain)) if _may_hold_urls(view.target_plain) else []
    missing = _unmatched(source, [found.group() for found in target])
    if not missing:
        return []
    # An address the source lacks most likely is one of the missing ones, altered.
    changed = [target[i] for i in _unmatched_at([m.group() for m in target], source)]
    issues = []
    for address, instead in itertools.zip_longest(missing, changed[: len(missing)]):
        if instead is None:
            issues.append(Issue("urls", Severity.ERROR, f"address missing: {address}"))
        else:
            message = f"address changed: {address} became {instead.group()}"
            issues.append(Issue("urls", Severity.ERROR, message, instead.span()))
    return issues


def _unmatched(items: list[str], others: list[str]) -> list[str]:
    return [items[i] for i in _unmatched_at(items, others)]


def _unmatched_at(items: list[str], others: list[str]) -> list[int]:
    """Indexes of the ``items`` that ``others`` lack (counting repeats), in order."""
    left = Counter(others)
    at = []
    for index, item in enumerate(items):
        if left[item] > 0:
            left[item] -= 1
        else:
            at.append(index)
    return at
