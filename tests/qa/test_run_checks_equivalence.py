"""QA finds what it found before it was made faster: on 2,400 generated segments (see
`run_checks_cases`), `run_checks` gives the issues recorded in `run_checks_reference.json`
by the code before the optimisation, and the same issues as the plainest dispatcher
(every registered check, in order, on a `SegmentView` built field by field).

The record holds what any check, the tag syntax of `iris.docx` or the language model
answered then: a change meant to alter a result regenerates it (see `run_checks_cases`)
in a commit of its own that says so; a speed-up never does."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from typing import Any

import pytest

from iris.docx import TagError, plain_text
from iris.engines.base import Term
from iris.qa.checks import REGISTRY, Issue, SegmentView, Severity, run_checks
from tests.qa.run_checks_cases import REFERENCE, run

CASES: list[dict[str, Any]] = json.loads(REFERENCE.read_text())


def _differences(found: Sequence[tuple[dict[str, Any], list[dict[str, Any]]]]) -> list[str]:
    return [
        f"{item['source']!r} -> {item['target']!r} {item['options']}: {issues} "
        f"instead of {item['issues']}"
        for item, issues in found
        if issues != item["issues"]
    ]


def test_the_reference_reaches_every_check_both_ways() -> None:
    flagged = {issue["check"] for item in CASES for issue in item["issues"]}
    assert flagged == set(REGISTRY)
    assert sum(1 for item in CASES if not item["issues"]) > len(CASES) // 5


def test_every_case_has_the_issues_recorded_before_the_optimisation() -> None:
    found = [(item, run(item["options"])(item["source"], item["target"])) for item in CASES]
    assert _differences(found)[:5] == []


def _plainly(
    source: str,
    target: str,
    *,
    source_lang: str = "",
    target_lang: str = "",
    terms: Sequence[Term] = (),
    enabled: Collection[str] | None = None,
    skip: Collection[str] = (),
) -> list[Issue]:
    try:
        view = SegmentView(
            source, target, plain_text(source), plain_text(target), source_lang, target_lang, terms
        )
    except TagError as exc:
        return [Issue("tags", Severity.ERROR, f"the translation's tags cannot be read: {exc}")]
    issues = []
    for name, check in REGISTRY.items():
        if (enabled is None or name in enabled) and name not in skip:
            issues += check(view)
    return issues


@pytest.mark.parametrize("as_given", [list, frozenset, set, tuple])
def test_run_checks_runs_the_enabled_checks_in_registry_order(as_given: type) -> None:
    for item in CASES:
        options = dict(item["options"])
        options["terms"] = tuple(Term(*term) for term in options.get("terms", ()))
        for key in ("enabled", "skip"):
            if key in options:
                options[key] = as_given(options[key])
        expected = _plainly(item["source"], item["target"], **options)
        assert run_checks(item["source"], item["target"], **options) == expected, item
