"""The translation memory's contract: one suite, run on SQLite (embedded) and PostgreSQL
(services) alike."""

from __future__ import annotations

import pytest

from iris.memory.models import IndexTerm, TranslationUnit, UnitStatus
from iris.memory.store import Match, NewUnit, Query, context_hash, memory

pytestmark = [pytest.mark.django_db, pytest.mark.everywhere]

SENTENCES = [
    ("The contract ends on 31 December 2025.", "Le contrat prend fin le 31 décembre 2025."),
    ("Press <g1>Save</g1> to keep your changes.", "Appuyez sur <g1>Enregistrer</g1>."),
    ("Our engineers review every report twice.", "Nos ingénieurs relisent chaque rapport."),
    ("Total", "Total"),
    ("Invoices are sent at the end of each month.", "Les factures sont envoyées en fin de mois."),
    ("我们的产品质量很好。", "Our products are of good quality."),
]


def _add(status: str = UnitStatus.PROMOTED, target_lang: str = "fr", **extra: object) -> None:
    memory().add(
        NewUnit(source, target, "en", target_lang, status=status, **extra)  # type: ignore[arg-type]
        for source, target in SENTENCES
    )


def _best(source: str, target_lang: str = "fr", **options: object) -> list[Match]:
    return memory().lookup([Query(source)], "en", target_lang, **options)[0]  # type: ignore[arg-type]


def test_exact_match_scores_100_and_context_101() -> None:
    neighbours = context_hash("Before.", "After.")
    memory().add([NewUnit(SENTENCES[0][0], SENTENCES[0][1], "en", "fr", context_hash=neighbours)])
    [exact] = _best(SENTENCES[0][0])
    assert (exact.score, exact.kind, exact.target) == (100, "exact", SENTENCES[0][1])
    [[context]] = memory().lookup([Query(SENTENCES[0][0], neighbours)], "en", "fr")
    assert (context.score, context.kind) == (101, "context")


def test_only_numbers_tags_or_punctuation_differ_scores_95_to_99() -> None:
    _add()
    for query in (
        "The contract ends on 30 December 2026.",
        "Press Save to keep your changes.",
        "Press <g1>Save</g1> to keep your changes!",
        "press <g1>save</g1> to keep your changes.",
    ):
        [best, *_] = _best(query)
        assert 95 <= best.score <= 99, (query, best)


def test_fuzzy_match_with_a_word_changed() -> None:
    _add()
    [best, *_] = _best("Our engineers review every invoice twice.")
    assert best.target == "Nos ingénieurs relisent chaque rapport."
    assert 75 <= best.score < 95
    assert best.kind == "fuzzy"


def test_below_threshold_is_not_returned_and_threshold_is_an_option() -> None:
    _add()
    assert _best("Our cats sleep in the garden all afternoon.") == []
    assert _best("Our engineers review every invoice twice.", threshold=95) == []


def test_short_segments_are_found() -> None:
    _add()
    [best] = _best("Total")
    assert best.score == 100
    [near] = _best("Total:")
    assert 95 <= near.score <= 99


def test_unspaced_script_is_matched_by_character_pairs() -> None:
    memory().add([NewUnit(SENTENCES[5][0], SENTENCES[5][1], "zh", "en")])
    [best] = memory().lookup([Query("我们的产品质量非常好。")], "zh", "en")[0:1][0]
    assert best.target == SENTENCES[5][1]
    assert 75 <= best.score < 100


def test_locale_fallback_ranks_below_exact_locale_and_is_never_100() -> None:
    memory().add([NewUnit(SENTENCES[0][0], "Fallback fr", "en", "fr")])
    memory().add([NewUnit(SENTENCES[0][0], "Québec", "en", "fr-CA")])
    first, second = _best(SENTENCES[0][0], target_lang="fr-CA")
    assert (first.target, first.score) == ("Québec", 100)
    assert (second.target, second.score) == ("Fallback fr", 99)


def test_promoted_only_and_duplicates_are_not_stored_twice() -> None:
    _add(status=UnitStatus.CANDIDATE)
    report = memory().add([NewUnit(SENTENCES[0][0], SENTENCES[0][1], "en", "fr")])
    assert (report.created, report.duplicates) == (0, 1)
    assert _best(SENTENCES[0][0], promoted_only=True) == []
    assert _best(SENTENCES[0][0])[0].status == UnitStatus.CANDIDATE


def test_new_units_are_found_at_once_and_deleted_ones_vanish() -> None:
    _add()
    query = "Invoices are sent at the end of every month."
    [best, *_] = _best(query)
    memory().delete([best.unit_id])
    assert _best(query) == []
    assert not IndexTerm.objects.filter(unit=best.unit_id).exists()
    memory().add([NewUnit("Invoices are sent at the end of every month.", "Nouveau", "en", "fr")])
    assert _best(query)[0].target == "Nouveau"


def test_other_language_pairs_are_not_matched() -> None:
    _add(target_lang="de")
    assert _best(SENTENCES[0][0], target_lang="fr") == []
    assert TranslationUnit.objects.count() == len(SENTENCES)


def test_top_k_best_first() -> None:
    base = "The quarterly report lists every open risk and its owner"
    memory().add(
        NewUnit(f"{base}{suffix}", f"target {n}", "en", "fr")
        for n, suffix in enumerate(["", " today", " and date", " for the board of directors"])
    )
    found = _best(base, k=3)
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    assert len(found) == 3
    assert found[0].score == 100


def test_a_short_segment_with_a_typo_is_found() -> None:
    _add()
    [best] = _best("Totl")
    assert best.target == "Total"
    assert best.score == 80  # one edit in five characters


def test_short_units_added_or_deleted_are_seen_by_the_next_lookup() -> None:
    assert _best("Save as") == []  # the pair's short units are now held in memory
    memory().add([NewUnit("Save as", "Enregistrer sous", "en", "fr")])
    [found] = _best("Save as…")
    assert found.target == "Enregistrer sous"
    memory().delete([found.unit_id])
    assert _best("Save as…") == []
    memory().add([NewUnit("Save all", "Tout enregistrer", "en", "fr")])
    assert _best("Save al")[0].target == "Tout enregistrer"


def test_text_with_tabs_newlines_and_backslashes_is_stored_as_given() -> None:
    source = "Path C:\\new\\table\tcolumn\r\nnext line \\N"
    target = "Chemin C:\\nouveau\\t\tcolonne\nligne \\N"
    memory().add([NewUnit(source, target, "en", "fr", props={"note": "a\\tb\n"})])
    stored = TranslationUnit.objects.get()
    assert (stored.source, stored.target, stored.props) == (source, target, {"note": "a\\tb\n"})
    assert _best(source)[0].target == target


def test_provenance_is_stored_and_read_back() -> None:
    from datetime import UTC, datetime

    made = datetime(2024, 1, 5, 8, 30, tzinfo=UTC)
    memory().add(
        [
            NewUnit(
                "The contract ends.", "Le contrat prend fin.", "en", "fr", engine="deepl",
                engine_model="v2", reviewer="ana", created_by="bob", created=made,
                glossary_version=3, codes={"g1": "<b>"}, origin_segment=4,
            )
        ]
    )  # fmt: skip
    unit = TranslationUnit.objects.get()
    assert unit.created == made
    assert (unit.engine, unit.engine_model, unit.reviewer, unit.created_by) == (
        "deepl",
        "v2",
        "ana",
        "bob",
    )
    assert (unit.glossary_version, unit.codes, unit.origin_segment) == (3, {"g1": "<b>"}, 4)
    assert unit.last_used is None
    memory().mark_used([unit.pk])
    unit.refresh_from_db()
    assert unit.usage_count == 1
    assert unit.last_used is not None
