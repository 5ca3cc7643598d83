"""Verification checks and their registries.

A segment check looks at one segment (tagged source and target, their plain text, the
job's languages and the glossary terms that concern it) and returns issues; each issue
has a stable check id, a severity (errors must be fixed or waived, warnings are for
review), a message and, where the finding lies in the target, a span of the target's
plain text (see `base.Span`). Job checks (inconsistent translations) read every row of
a job at once.

Adding a check is one decorated function, ``@register("id")`` or
``@register_job("id")``, in any module of this folder: the package imports each of its
modules, so nothing else names it. Which checks run is a job's option, read by
`resolve_checks` (module `policy`).

Every check is cheap on the text that cannot concern it (a character test before any
regular expression, the language model only on long targets), since all of them run on
every translated segment.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Collection, Hashable, Iterable, Sequence
from typing import TypeVar, cast

from iris.docx import TagError, plain_text
from iris.engines.base import Term
from iris.qa.checks.base import (
    JOB_REGISTRY,
    REGISTRY,
    Check,
    Issue,
    JobCheck,
    SegmentView,
    Severity,
    Span,
    register,
    register_job,
    selected_checks,
)
from iris.qa.checks.consistency import inconsistencies
from iris.qa.checks.policy import QaPolicy, QaPolicyError, UnknownCheckError, resolve_checks

# Every module of this folder, so that a check needs no import anywhere else.
for _module in sorted(pkgutil.iter_modules(__path__), key=lambda module: module.name):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = [
    "JOB_REGISTRY",
    "REGISTRY",
    "Check",
    "Issue",
    "JobCheck",
    "QaPolicy",
    "QaPolicyError",
    "SegmentView",
    "Severity",
    "Span",
    "UnknownCheckError",
    "inconsistencies",
    "register",
    "register_job",
    "resolve_checks",
    "run_checks",
    "run_job_checks",
    "selected_checks",
]

K = TypeVar("K", bound=Hashable)


def run_checks(
    source: str,
    target: str,
    *,
    source_lang: str = "",
    target_lang: str = "",
    terms: Sequence[Term] = (),
    enabled: Collection[str] | None = None,
    skip: Collection[str] = (),
) -> list[Issue]:
    """The issues of one segment (tagged ``source`` and ``target``).

    ``enabled`` is the set of check ids to run (None: every registered check; a job's
    option resolved by `resolve_checks`); ``skip`` removes more (a caller that has just
    validated the tags need not pay for it twice). Languages are BCP 47 tags; without
    them the checks that need them stay silent.
    """
    try:
        view = SegmentView(
            source, target, plain_text(source), plain_text(target), source_lang, target_lang, terms
        )
    except TagError as exc:
        return [Issue("tags", Severity.ERROR, f"the translation's tags cannot be read: {exc}")]
    issues: list[Issue] = []
    chosen = None if enabled is None else frozenset(enabled)
    for check in selected_checks(chosen, frozenset(skip)):
        found = check(view)
        if found:  # most checks find nothing: no list to extend by
            issues += found
    return issues


def run_job_checks(
    rows: Iterable[tuple[K, str, str]], *, enabled: Collection[str] | None = None
) -> dict[K, list[Issue]]:
    """The job checks' issues by row key, over (key, source plain text, target plain
    text) rows of one job; ``enabled`` as for `run_checks`."""
    rows = list(rows)
    found: dict[Hashable, list[Issue]] = {}
    for name, check in JOB_REGISTRY.items():
        if enabled is None or name in enabled:
            for key, issues in check(rows).items():
                found.setdefault(key, []).extend(issues)
    return cast(dict[K, list[Issue]], found)  # a job check answers with the keys it is given
