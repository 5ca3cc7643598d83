"""Glossary compliance and forbidden terms, with the glossary's `Term` entries: whole
words in spaced scripts, substrings in scripts without spaces, simple inflection."""

from __future__ import annotations

import pytest

from iris.engines.base import Term
from iris.qa.checks import Issue, Severity, run_checks


def term_issues(source: str, target: str, *terms: Term) -> list[Issue]:
    return run_checks(source, target, terms=terms, enabled={"glossary", "forbidden_terms"})


COMPLIANT = [
    ("Sign the contract.", "Unterschreiben Sie den Vertrag.", Term("contract", "Vertrag")),
    ("Sign the CONTRACT.", "Unterschreiben Sie den VERTRAG.", Term("contract", "Vertrag")),
    ("Sign the contracts.", "Unterschreiben Sie die Vertrages.", Term("contract", "Vertrag")),
    ("Read the contract.", "Leggi i contratti.", Term("contract", "contratto")),
    (
        "The service  level agreement",
        "Das Service-Level-Agreement",
        Term("service level", "Service"),
    ),
    (
        "Open the user manual.",
        "Ouvrez le manuel  utilisateur.",
        Term("user manual", "manuel utilisateur"),
    ),
    ("Open the settings.", "打开设置页面。", Term("settings", "设置")),
    ("設定を開く", "Open the settings.", Term("設定", "settings")),
    ("Open the settings.", "เปิดการตั้งค่า", Term("settings", "การตั้งค่า")),
    # the term's source is absent: nothing is required
    ("Sign the contractor's form.", "Signez le formulaire.", Term("contract", "contrat")),
    ("Sign the form.", "Signez le formulaire.", Term("contract", "contrat")),
]


@pytest.mark.parametrize(("source", "target", "term"), COMPLIANT)
def test_a_glossary_term_translated_as_required_passes(
    source: str, target: str, term: Term
) -> None:
    assert term_issues(source, target, term) == []


def test_any_allowed_translation_of_a_term_is_enough() -> None:
    terms = (Term("contract", "contrat"), Term("contract", "convention"))
    assert term_issues("Sign the contract.", "Signez la convention.", *terms) == []
    (issue,) = term_issues("Sign the contract.", "Signez l'accord.", *terms)
    assert issue.message == (
        "the glossary translates 'contract' as 'contrat' or 'convention', which the "
        "translation lacks"
    )


@pytest.mark.parametrize(
    ("source", "target", "term"),
    [
        ("Sign the contract.", "Signez l'accord.", Term("contract", "contrat")),
        ("Sign the contracts.", "Signez les accords.", Term("contract", "contrat")),
        ("Open the settings.", "打开选项页面。", Term("settings", "设置")),
        ("Open the user manual.", "Ouvrez le guide.", Term("user manual", "manuel utilisateur")),
    ],
)
def test_a_glossary_term_translated_otherwise_warns(source: str, target: str, term: Term) -> None:
    (issue,) = term_issues(source, target, term)
    assert (issue.check, issue.severity, issue.span) == ("glossary", Severity.WARNING, None)


@pytest.mark.parametrize(
    ("target", "forbidden", "covered"),
    [
        ("Rufen Sie den Kunden an.", "Kunde", "Kunden"),
        ("Rufen Sie den KUNDE an.", "Kunde", "KUNDE"),
        ("Klicken Sie auf OK, um fortzufahren.", "klicken Sie", "Klicken Sie"),
        ("请点击确定按钮。", "点击", "点击"),
    ],
)
def test_a_forbidden_term_is_an_error_placed_in_the_translation(
    target: str, forbidden: str, covered: str
) -> None:
    (issue,) = term_issues("Call the customer.", target, Term(forbidden, "", forbidden=True))
    assert (issue.check, issue.severity) == ("forbidden_terms", Severity.ERROR)
    assert issue.span is not None
    assert target[slice(*issue.span)] == covered


@pytest.mark.parametrize(
    ("target", "forbidden"),
    [
        ("Rufen Sie die Kundschaft an.", "Kunde"),  # another word, not an inflection
        ("Der Kundenservice ruft an.", "Kunde"),  # a compound: not matched
        ("Le deal est conclu.", "dea"),  # too short to take an ending
    ],
)
def test_a_word_that_only_starts_like_a_forbidden_term_passes(target: str, forbidden: str) -> None:
    assert term_issues("Call the customer.", target, Term(forbidden, "", forbidden=True)) == []


def test_blank_and_repeated_terms_are_ignored() -> None:
    terms = (Term(" ", "x"), Term("deal", "", forbidden=True), Term("deal", "", forbidden=True))
    assert len(term_issues("A deal.", "Un deal.", *terms)) == 1
