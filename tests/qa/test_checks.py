"""Each QA check, on segments that must pass and segments that must be flagged, in
several scripts. A check is judged by its id in the issues of ``run_checks``."""

from __future__ import annotations

import pytest

from iris.qa.checks import REGISTRY, Severity, run_checks


def flagged(source: str, target: str) -> dict[str, Severity]:
    return {issue.check: issue.severity for issue in run_checks(source, target)}


def test_the_registry_has_at_least_fifteen_checks_with_stable_ids() -> None:
    assert len(REGISTRY) >= 15
    assert all(name.isidentifier() for name in REGISTRY)


GOOD = [
    ("Hello %s, you have %d new messages.", "Bonjour %s, vous avez %d nouveaux messages."),
    ("Welcome {name}, see {{page}} or ${HOME}.", "Bienvenue {name}, voir {{page}} ou ${HOME}."),
    ("About 90% of users agree.", "Environ 90 % des utilisateurs sont d'accord."),
    (
        "See https://example.com/a?b=1 or mail info@example.org.",
        "Voir https://example.com/a?b=1 ou info@example.org.",
    ),
    ("Is it ready?", "Est-ce prêt ?"),
    ("Is it ready?", "准备好了吗？"),
    ("Is it ready?", "هل هو جاهز؟"),
    ("The report is ready.", "報告書の準備ができました。"),
    ("The report is ready.", "รายงานพร้อมแล้ว"),  # Thai: no full stop
    ('He said "yes" (twice).', "Il a dit « oui » (deux fois)."),
    ("Quarterly service report for all regions", "全地区季度服务报告"),  # CJK is short
    ("Stop!", "¡Alto!"),
    (
        "This is a long sentence in English about the weather today.",
        "Dies ist ein langer Satz auf Deutsch über das Wetter heute.",
    ),
]


@pytest.mark.parametrize(("source", "target"), GOOD)
def test_good_translations_are_not_flagged(source: str, target: str) -> None:
    assert flagged(source, target) == {}


BAD = [
    (
        "placeholders",
        Severity.ERROR,
        "Hello %s, you have %d messages.",
        "Bonjour, vous avez %d messages.",
    ),
    ("placeholders", Severity.ERROR, "Welcome {name}.", "Bienvenue {nom}."),
    (
        "urls",
        Severity.ERROR,
        "See https://example.com/docs today.",
        "Voir https://exemple.com/docs aujourd'hui.",
    ),
    ("urls", Severity.ERROR, "Write to info@example.org now.", "Écrivez-nous maintenant."),
    ("outer_whitespace", Severity.WARNING, "First sentence. ", "Première phrase."),
    ("double_space", Severity.WARNING, "One space here.", "Un  espace ici."),
    ("end_punctuation", Severity.WARNING, "Is it ready?", "C'est prêt."),
    ("end_punctuation", Severity.WARNING, "Stop!", "Arrêtez"),
    ("brackets", Severity.WARNING, "Call us (today).", "Appelez-nous (aujourd'hui."),
    ("quotes", Severity.WARNING, "He said “yes”.", "Il a dit « oui."),
    ("length", Severity.WARNING, "This sentence has a reasonable length.", "Oui."),
    ("length", Severity.WARNING, "Short text here, twenty chars.", "x" * 200),
    (
        "refusal",
        Severity.ERROR,
        "Translate the contract terms.",
        "I'm sorry, but I cannot translate this.",
    ),
    (
        "refusal",
        Severity.ERROR,
        "The report is ready.",
        "Here is the translation: Le rapport est prêt.",
    ),
    ("repeated_word", Severity.WARNING, "The report is ready.", "Le le rapport est prêt."),
    ("control_characters", Severity.ERROR, "The report is ready.", "Le rapport\x00 est prêt."),
    ("control_characters", Severity.ERROR, "The report is ready.", "Le rapport \ufffd prêt."),
    (
        "language",
        Severity.WARNING,
        "The quarterly report shows strong growth in every region.",
        "The quarterly report shows strong growth dans chaque region.",
    ),
]


@pytest.mark.parametrize(("check", "severity", "source", "target"), BAD)
def test_bad_translations_are_flagged(
    check: str, severity: Severity, source: str, target: str
) -> None:
    assert flagged(source, target).get(check) == severity, flagged(source, target)


def test_what_the_source_already_has_is_not_blamed_on_the_translation() -> None:
    assert flagged("Call us (today.", "Appelez-nous (aujourd'hui.") == {}
    assert flagged("The the report.", "Le le rapport.") == {}
    assert flagged("Two  spaces.", "Deux  espaces.") == {}
