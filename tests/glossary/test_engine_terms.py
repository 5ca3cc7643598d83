"""Matches as engines and QA take them (iris.engines.base.Term)."""

from __future__ import annotations

from iris.engines.base import Term
from iris.glossary.matching import Entry, Matcher
from iris.glossary.service import to_engine_terms
from iris.qa.checks.base import SegmentView
from iris.qa.checks.terms import check_forbidden_terms, check_glossary

CONTRACT = Entry(1, "contract", ("contrat", "convention"), forbidden=("accord",))
ACME = Entry(2, "Acme", (), do_not_translate=True)


def test_targets_keep_as_is_and_forbidden_variants() -> None:
    matches = Matcher([CONTRACT, ACME], "en").find("Acme contracts and a contract")
    assert to_engine_terms(matches) == (
        Term("Acme", "Acme"),
        Term("contract", "contrat"),
        Term("contract", "convention"),
        Term("accord", "", forbidden=True),
    )


def test_no_matches_no_terms() -> None:
    assert to_engine_terms([]) == ()


def view(source: str, target: str, terms: tuple[Term, ...]) -> SegmentView:
    return SegmentView(source, target, source, target, "en", "fr", terms)


def test_qa_judges_the_terms_it_is_given() -> None:
    source = "The contract"
    terms = to_engine_terms(Matcher([CONTRACT], "en").find(source))
    assert check_glossary(view(source, "Le contrat", terms)) == []
    assert [i.check for i in check_glossary(view(source, "Le pacte", terms))] == ["glossary"]
    found = check_forbidden_terms(view(source, "L'accord", terms))
    assert [i.check for i in found] == ["forbidden_terms"]
