"""Inconsistency across a job: one source translated in different ways, and different
sources translated alike.

Texts are compared after folding case and runs of whitespace and trimming the
punctuation around them. Short or letterless texts (a number, "OK", a one-word label)
are left out: a word alone may rightly take different translations in different places,
and different labels the same one. One pass groups the rows by text (linear in the
job's size).
"""

from __future__ import annotations

import itertools
import string
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from typing import TypeVar

from iris.qa.checks.base import UNSPACED, Issue, Severity, register_job

K = TypeVar("K", bound=Hashable)

_TRIM = string.punctuation + string.whitespace + "«»“”„‘’‚‹›¡¿…–—。、！？：；「」『』（）"
_MIN_LETTERS = 8  # and two words: "Open file" and longer
_MIN_UNSPACED = 4  # letters of a script without spaces: 保存文件
_SHOWN = 80  # characters of another variant shown in a message


def _comparable(text: str) -> str | None:
    """The folded form of ``text``, None when it is too short to judge."""
    folded = " ".join(text.split()).casefold().strip(_TRIM)
    letters = len(list(itertools.islice(filter(str.isalpha, folded), _MIN_LETTERS)))
    if letters >= _MIN_LETTERS and " " in folded:
        return folded
    if letters >= _MIN_UNSPACED and UNSPACED.search(folded):
        return folded
    return None


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…")


@register_job("inconsistency")
def inconsistencies(rows: Iterable[tuple[K, str, str]]) -> dict[K, list[Issue]]:
    """Warnings by row key over a job's (key, source plain text, target plain text)
    rows: the rows whose source is translated otherwise elsewhere (all but the most
    frequent translation, or all when none is), and the rows whose translation also
    stands for a different source."""
    by_source: dict[str, list[tuple[K, str, str]]] = defaultdict(list)
    by_target: dict[str, list[tuple[K, str, str]]] = defaultdict(list)
    for key, source, target in rows:
        folded_source = _comparable(source)
        folded_target = _comparable(target) if folded_source is not None else None
        if folded_source is None or folded_target is None:
            continue
        by_source[folded_source].append((key, folded_target, target))
        by_target[folded_target].append((key, folded_source, source))
    found: dict[K, list[Issue]] = defaultdict(list)
    # A text that stands once in the job (most of them) has nothing to disagree with.
    for group in by_source.values():
        if len(group) > 1:
            for key, issue in _differently_translated(group):
                found[key].append(issue)
    for group in by_target.values():
        if len(group) > 1:
            for key, issue in _shared_translation(group):
                found[key].append(issue)
    return dict(found)


def _differently_translated(group: list[tuple[K, str, str]]) -> list[tuple[K, Issue]]:
    """Rows of one source (key, folded target, target) whose translation is not the
    one most of them have."""
    counts = Counter(folded for _, folded, _ in group)
    if len(counts) < 2:
        return []
    (top, top_count), (_, second_count) = counts.most_common(2)
    usual = top if top_count > second_count else None
    shown = {folded: text for _, folded, text in group}
    flagged = []
    for key, folded, _ in group:
        if folded == usual:
            continue
        other = usual or next(variant for variant in counts if variant != folded)
        message = f"the same source is translated otherwise in this job: {_shown(shown[other])}"
        flagged.append((key, Issue("inconsistency", Severity.WARNING, message)))
    return flagged


def _shared_translation(group: list[tuple[K, str, str]]) -> list[tuple[K, Issue]]:
    """Rows of one translation (key, folded source, source) when their sources differ."""
    sources = {folded: text for _, folded, text in group}
    if len(sources) < 2:
        return []
    flagged = []
    for key, folded, _ in group:
        other = next(variant for variant in sources if variant != folded)
        message = f"the same translation stands for another source: {_shown(sources[other])}"
        flagged.append((key, Issue("inconsistency", Severity.WARNING, message)))
    return flagged
