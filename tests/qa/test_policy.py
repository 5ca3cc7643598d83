"""Which checks a job runs: its QA option, validated at submission, and run_checks'
``enabled`` and ``skip``; a policy may change a check's severity."""

from __future__ import annotations

from typing import Any

import pytest

from iris.qa.checks import (
    JOB_REGISTRY,
    REGISTRY,
    QaPolicy,
    QaPolicyError,
    Severity,
    UnknownCheckError,
    resolve_checks,
    run_checks,
)

EVERY = frozenset(REGISTRY) | frozenset(JOB_REGISTRY)


@pytest.mark.parametrize(
    ("spec", "enabled"),
    [
        (None, EVERY),
        ({}, EVERY),
        ({"disable": ["length", "inconsistency"]}, EVERY - {"length", "inconsistency"}),
        ({"enable": ["tags", "numbers"]}, {"tags", "numbers"}),
        ({"enable": ["tags", "numbers"], "disable": ["numbers"]}, {"tags"}),
        (["tags", "urls"], {"tags", "urls"}),
        ([], set()),
    ],
)
def test_a_qa_option_names_the_checks_to_run(spec: Any, enabled: set[str]) -> None:
    assert resolve_checks(spec) == enabled


def test_an_unknown_check_is_named_with_the_known_ones() -> None:
    with pytest.raises(UnknownCheckError) as raised:
        resolve_checks({"disable": ["lenght"]})
    message = str(raised.value)
    assert "'lenght'" in message
    assert "did you mean 'length'?" in message
    assert all(name in message for name in EVERY)
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize(
    "spec",
    [
        {"skip": ["length"]},  # an unknown key
        {"disable": "length"},  # a string, not a list
        "length",
        {"severity": ["length"]},
        {"severity": {"length": "fatal"}},
    ],
)
def test_a_malformed_option_is_refused(spec: Any) -> None:
    with pytest.raises(QaPolicyError):
        QaPolicy.from_spec(spec)


def test_run_checks_runs_only_the_enabled_checks_less_the_skipped() -> None:
    source, target = "Is it  ready?", "Est-ce  prêt."  # end punctuation and a double space
    assert {i.check for i in run_checks(source, target)} == {"end_punctuation"}
    target = "Est-ce  prêt"
    assert {i.check for i in run_checks("Is it ready?", target)} == {
        "end_punctuation",
        "double_space",
    }
    assert {i.check for i in run_checks("Is it ready?", target, enabled={"double_space"})} == {
        "double_space"
    }
    assert run_checks("Is it ready?", target, enabled={"double_space"}, skip={"double_space"}) == []
    assert run_checks("Is it ready?", target, enabled=set()) == []


def test_a_policy_changes_the_severity_of_a_checks_issues() -> None:
    policy = QaPolicy.from_spec({"severity": {"double_space": "error"}})
    issues = policy.apply(run_checks("Is it ready?", "Est-ce  prêt"))
    severities = {issue.check: issue.severity for issue in issues}
    assert severities == {"double_space": Severity.ERROR, "end_punctuation": Severity.WARNING}
