"""Glossary compliance and forbidden terms.

The terms come with the segment (`SegmentView.terms`, the glossary's
`iris.engines.base.Term` entries). A required term whose source occurs in the source
must have one of its translations in the target (a glossary may allow several for one
source); a forbidden term (``source`` holds the forbidden target-language word) must
not occur in the target.

A term matches case-insensitively, with any whitespace between its words, as whole
words; in scripts written without spaces (Chinese, Japanese, Thai, Korean …) it matches
anywhere. A last word of four letters or more may be inflected, the more where that
can only hide a finding and the less where it could invent one: in the source, one
more letter (contract → contracts, not contractor); in a forbidden term, two (Kunde →
Kunden); in the required translation, any last letter and three more (Vertrag →
Vertrages, contratto → contratti). Vowel changes (Vertrag → Verträge) and compounds
(Kaufvertrag) are not matched: the term is then reported missing, for a reviewer to
judge.

A missing term is a warning (the matching is heuristic); a forbidden term is an error,
with its span.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from typing import Literal

from iris.qa.checks.base import UNSPACED, Issue, SegmentView, Severity, register

Use = Literal["source", "forbidden", "translation"]
_INFLECTED_FROM = 4  # letters a word needs before it may take an ending


@functools.lru_cache(maxsize=4096)
def _pattern(term: str, use: Use) -> re.Pattern[str] | None:
    """How ``term`` is found for a ``use`` (see the module docstring); None for a
    blank term."""
    words = term.split()
    if not words:
        return None
    if UNSPACED.search(term):
        return re.compile(r"\s*".join(map(re.escape, words)), re.IGNORECASE)
    *head, last = words
    body = [*map(re.escape, head), _inflected(last, use)]
    return re.compile(r"(?<!\w)" + r"\s+".join(body) + r"(?!\w)", re.IGNORECASE)


def _inflected(word: str, use: Use) -> str:
    if len(word) < _INFLECTED_FROM or not word[-1].isalpha():
        return re.escape(word)
    if use == "translation":
        return re.escape(word[:-1]) + r"\w{1,4}"  # contratto -> contratti, Vertrages
    return re.escape(word) + (r"\w?" if use == "source" else r"\w{0,2}")


@functools.lru_cache(maxsize=4096)
def _start(term: str) -> str:
    """The first letters of ``term``, case-folded: whatever form a match takes, its
    folded text holds them (a quick test before the regular expression)."""
    return term.split()[0][:3].casefold() if term.strip() else ""


def _found(term: str, text: str, folded: str, use: Use) -> re.Match[str] | None:
    """Where ``term`` occurs in ``text`` (``folded`` is its case-folded form)."""
    pattern = _pattern(term, use)
    if pattern is None or _start(term) not in folded:
        return None
    return pattern.search(text)


@register("glossary")
def check_glossary(view: SegmentView) -> list[Issue]:
    if not view.terms:
        return []
    wanted: dict[str, list[str]] = defaultdict(list)
    for term in view.terms:
        if not term.forbidden and term.source.strip() and term.target.strip():
            wanted[term.source].append(term.target)
    source_folded, target_folded = view.source_plain.casefold(), view.target_plain.casefold()
    issues = []
    for source, targets in wanted.items():
        if _found(source, view.source_plain, source_folded, "source") is None:
            continue
        if any(_found(t, view.target_plain, target_folded, "translation") for t in targets):
            continue
        shown = " or ".join(map(repr, dict.fromkeys(targets)))
        message = f"the glossary translates {source!r} as {shown}, which the translation lacks"
        issues.append(Issue("glossary", Severity.WARNING, message))
    return issues


@register("forbidden_terms")
def check_forbidden_terms(view: SegmentView) -> list[Issue]:
    if not view.terms:
        return []
    folded = view.target_plain.casefold()
    issues = []
    for term in dict.fromkeys(t.source for t in view.terms if t.forbidden):
        found = _found(term, view.target_plain, folded, "forbidden")
        if found is not None:
            message = f"the translation uses {found.group()!r}, a forbidden term"
            issues.append(Issue("forbidden_terms", Severity.ERROR, message, found.span()))
    return issues
