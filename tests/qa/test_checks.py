"""Each QA check, on segments that must pass and segments that must be flagged, in
several scripts. A check is judged by its id in the issues of ``run_checks``; where a
finding lies in the translation, by the text its span covers too."""

from __future__ import annotations

import json
from typing import Any

import pytest

from iris.docx.text.tags import plain_text
from iris.engines.base import Term
from iris.qa.checks import REGISTRY, Issue, Severity, run_checks


def flagged(source: str, target: str, **options: Any) -> dict[str, Severity]:
    return {issue.check: issue.severity for issue in run_checks(source, target, **options)}


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


#: (check, severity, source, target, the text a span of its issues covers or None for
#: no span, run_checks options)
BAD: list[tuple[str, Severity, str, str, str | None, dict[str, Any]]] = [
    (
        "tags",
        Severity.ERROR,
        "Click <g1>Save</g1> now.",
        "Cliquez sur <g1>Enregistrer</g1> <g2>maintenant</g2>.",
        "maintenant",
        {},
    ),
    ("empty", Severity.ERROR, "Hello world.", " ", None, {}),
    ("untranslated", Severity.WARNING, "Hello world.", "Hello world.", None, {}),
    ("numbers", Severity.WARNING, "Total 1,250 units in 2024.", "Total 1 250 en 2025.", "2025", {}),
    ("numbers", Severity.WARNING, "It weighs 1,5 kg.", "Il pèse 15 kg.", "15", {}),
    (
        "placeholders",
        Severity.ERROR,
        "Hello %s, you have %d messages.",
        "Bonjour, vous avez %d messages.",
        None,
        {},
    ),
    ("placeholders", Severity.ERROR, "Welcome {name}.", "Bienvenue {nom}.", "{nom}", {}),
    (
        "urls",
        Severity.ERROR,
        "See https://example.com/docs today.",
        "Voir https://exemple.com/docs aujourd'hui.",
        "https://exemple.com/docs",
        {},
    ),
    (
        "urls",
        Severity.ERROR,
        "Write to info@example.org now.",
        "Écrivez-nous maintenant.",
        None,
        {},
    ),
    ("outer_whitespace", Severity.WARNING, "First sentence. ", "Première phrase.", "", {}),
    ("outer_whitespace", Severity.WARNING, "First sentence.", "  Première phrase.", "  ", {}),
    ("double_space", Severity.WARNING, "One space here.", "Un  espace ici.", "  ", {}),
    ("end_punctuation", Severity.WARNING, "Is it ready?", "C'est prêt.", ".", {}),
    ("end_punctuation", Severity.WARNING, "Stop!", "Arrêtez", "", {}),
    ("brackets", Severity.WARNING, "Call us (today).", "Appelez-nous (aujourd'hui.", "(", {}),
    ("brackets", Severity.WARNING, "Call us (today).", "Appelez-nous aujourd'hui).", ")", {}),
    ("quotes", Severity.WARNING, "He said “yes”.", "Il a dit « oui.", "«", {}),
    ("length", Severity.WARNING, "This sentence has a reasonable length.", "Oui.", None, {}),
    ("length", Severity.WARNING, "Short text here, twenty chars.", "x" * 200, None, {}),
    (
        "refusal",
        Severity.ERROR,
        "Translate the contract terms.",
        "I'm sorry, but I cannot translate this.",
        "I'm sorry",
        {},
    ),
    (
        "refusal",
        Severity.ERROR,
        "The report is ready.",
        "Here is the translation: Le rapport est prêt.",
        "Here is the translation",
        {},
    ),
    (
        "repeated_word",
        Severity.WARNING,
        "The report is ready.",
        "Le le rapport est prêt.",
        "Le le",
        {},
    ),
    (
        "control_characters",
        Severity.ERROR,
        "The report is ready.",
        "Le rapport\x00 est prêt.",
        "\x00",
        {},
    ),
    (
        "control_characters",
        Severity.ERROR,
        "The report is ready.",
        "Le rapport \ufffd prêt.",
        "\ufffd",
        {},
    ),
    (
        "language",
        Severity.WARNING,
        "The quarterly report shows strong growth in every region.",
        "The quarterly report shows strong growth dans chaque region.",
        None,
        {},
    ),
    (
        "language",
        Severity.WARNING,
        "The quarterly report shows strong growth in every region.",
        "The quarterly report showed a strong growth in all of the regions.",
        None,
        {"source_lang": "en", "target_lang": "de"},
    ),
    (
        "glossary",
        Severity.WARNING,
        "Sign the contract today.",
        "Signez l'accord aujourd'hui.",
        None,
        {"terms": [Term("contract", "contrat")]},
    ),
    (
        "forbidden_terms",
        Severity.ERROR,
        "Sign the contract today.",
        "Signez le deal aujourd'hui.",
        "deal",
        {"terms": [Term("deal", "", forbidden=True)]},
    ),
]


@pytest.mark.parametrize(("check", "severity", "source", "target", "covered", "options"), BAD)
def test_bad_translations_are_flagged(
    check: str,
    severity: Severity,
    source: str,
    target: str,
    covered: str | None,
    options: dict[str, Any],
) -> None:
    issues = [issue for issue in run_checks(source, target, **options) if issue.check == check]
    assert {issue.severity for issue in issues} == {severity}, run_checks(source, target)
    plain = plain_text(target)
    spans = [issue.span for issue in issues if issue.span is not None]
    assert all(0 <= start <= end <= len(plain) for start, end in spans)
    assert {plain[start:end] for start, end in spans} == (
        {covered} if covered is not None else set()
    )


def test_every_check_has_a_case_that_fails_without_it() -> None:
    assert {case[0] for case in BAD} == set(REGISTRY)


def test_what_the_source_already_has_is_not_blamed_on_the_translation() -> None:
    assert flagged("Call us (today.", "Appelez-nous (aujourd'hui.") == {}
    assert flagged("The the report.", "Le le rapport.") == {}
    assert flagged("Two  spaces.", "Deux  espaces.") == {}


def test_a_translation_within_one_language_may_equal_its_source() -> None:
    options = {"source_lang": "en-US", "target_lang": "en-GB"}
    assert flagged("Hello world.", "Hello world.", **options) == {}
    assert flagged("Hello world.", "Hello world.") == {"untranslated": Severity.WARNING}


def test_an_issue_is_a_json_object_with_its_span_when_it_has_one() -> None:
    with_span = Issue("double_space", Severity.WARNING, "a double space", (2, 4)).as_dict()
    without = Issue("empty", Severity.ERROR, "the translation is empty").as_dict()
    assert json.loads(json.dumps(with_span)) == {
        "check": "double_space",
        "severity": "warning",
        "message": "a double space",
        "span": [2, 4],
    }
    assert without == {"check": "empty", "severity": "error", "message": "the translation is empty"}


def test_unreadable_tags_are_one_error() -> None:
    issues = run_checks("Click <g1>Save</g1>.", "Cliquez <g1 Enregistrer.")
    assert [(issue.check, issue.severity) for issue in issues] == [("tags", Severity.ERROR)]
