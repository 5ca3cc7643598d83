"""The contract every glossary backend keeps (the OpenSearch half needs a server: see
conftest.py)."""

from __future__ import annotations

import pytest

from iris.glossary.backends import GlossaryBackend
from iris.glossary.matching import TermMatch
from iris.glossary.models import GlossaryTerm
from iris.glossary.service import TermData, delete_term, update_term
from tests.glossary.helpers import publish

pytestmark = [pytest.mark.django_db, pytest.mark.everywhere]

CONTRACT = TermData("contract", ("contrat",), part_of_speech="noun")
SERVICE_CONTRACT = TermData("service contract", ("contrat de service",))
ACME = TermData("Acme Cloud", do_not_translate=True, case_sensitive=True)
TOKYO = TermData("東京", ("Tokyo",))


def found(results: list[list[TermMatch]]) -> list[list[tuple[str, str]]]:
    return [[(m.entry.source, m.text) for m in matches] for matches in results]


def test_no_glossary_finds_nothing(glossary_backend: GlossaryBackend) -> None:
    assert glossary_backend.terms_for("en", "fr", ["a contract", "b"]) == [[], []]
    assert glossary_backend.version("en", "fr") == 0


def test_one_list_per_segment_in_order(glossary_backend: GlossaryBackend) -> None:
    publish(glossary_backend, "en", "fr", CONTRACT, SERVICE_CONTRACT, ACME)
    results = glossary_backend.terms_for(
        "en",
        "fr",
        [
            "The contracts.",
            "",
            "No terms here.",
            "A service contract for <g1>Acme</g1> Cloud",
            "acme cloud, {contract}<x1/>contract",
        ],
    )
    assert found(results) == [
        [("contract", "contracts")],
        [],
        [],
        [("service contract", "service contract"), ("Acme Cloud", "Acme Cloud")],
        [("contract", "contract")],
    ]


def test_entries_carry_their_content(glossary_backend: GlossaryBackend) -> None:
    publish(glossary_backend, "en", "fr", TermData("contract", ("contrat", "convention"),
            part_of_speech="noun", forbidden=("accord",), note="legal"))  # fmt: skip
    ((match,),) = glossary_backend.terms_for("en", "fr", ["contract"])
    term = GlossaryTerm.objects.get()
    assert match.entry.id == term.pk
    assert match.entry.targets == ("contrat", "convention")
    assert match.entry.forbidden == ("accord",)
    assert (match.entry.part_of_speech, match.entry.note) == ("noun", "legal")


def test_unspaced_source_language(glossary_backend: GlossaryBackend) -> None:
    publish(glossary_backend, "ja", "en", TOKYO)
    assert found(glossary_backend.terms_for("ja", "en", ["東京に行く"])) == [[("東京", "東京")]]


def test_version_follows_edits(glossary_backend: GlossaryBackend) -> None:
    glossary = publish(glossary_backend, "en", "fr", CONTRACT)
    assert glossary_backend.version("en", "fr") == glossary.version == 1
    term = GlossaryTerm.objects.get()
    update_term(term.pk, TermData("agreement", ("accord",)))
    glossary.refresh_from_db()
    glossary_backend.sync(glossary)
    assert glossary_backend.version("en", "fr") == 2
    assert found(glossary_backend.terms_for("en", "fr", ["contract agreements"])) == [
        [("agreement", "agreements")]
    ]
    delete_term(term.pk)
    glossary.refresh_from_db()
    glossary_backend.sync(glossary)
    assert glossary_backend.version("en", "fr") == 3
    assert glossary_backend.terms_for("en", "fr", ["agreements"]) == [[]]


def test_language_fallback(glossary_backend: GlossaryBackend) -> None:
    publish(glossary_backend, "en", "fr", CONTRACT)
    assert found(glossary_backend.terms_for("en-US", "fr-CA", ["contracts"])) == [
        [("contract", "contracts")]
    ]
    assert glossary_backend.version("en-US", "fr-CA") == 1
    assert glossary_backend.terms_for("en", "de", ["contracts"]) == [[]]


def test_regional_glossary_wins_over_its_language(glossary_backend: GlossaryBackend) -> None:
    publish(glossary_backend, "en", "fr", CONTRACT)
    publish(glossary_backend, "en", "fr-CA", TermData("contract", ("entente",)))
    ((match,),) = glossary_backend.terms_for("en", "fr-CA", ["contract"])
    assert match.entry.targets == ("entente",)
    ((match,),) = glossary_backend.terms_for("en", "fr-FR", ["contract"])
    assert match.entry.targets == ("contrat",)
