"""Outer whitespace is no part of a translation unit: the space that joins a segment to
the next sentence of its paragraph ("…desk. ") neither lowers an exact or context match
nor makes a second unit, and is not exported (SQLite and PostgreSQL alike)."""

from __future__ import annotations

import io

import pytest

from iris.memory.models import TranslationUnit, UnitStatus
from iris.memory.service import export_file, import_file, units_for
from iris.memory.store import NewUnit, Query, context_hash, digest, memory

pytestmark = [pytest.mark.django_db, pytest.mark.everywhere]

SENTENCE = "Please send questions to the service desk."
NEIGHBOURS = context_hash("Before.", "After.")


def _lookup(source: str, neighbours: str = "") -> list[tuple[int, str, str]]:
    [matches] = memory().lookup([Query(source, neighbours)], "en", "fr")
    return [(m.score, m.kind, m.target) for m in matches]


def test_a_unit_without_the_trailing_space_is_an_exact_and_a_context_match() -> None:
    memory().add([NewUnit(SENTENCE, "Envoyez vos questions.", "en", "fr", NEIGHBOURS)])
    assert _lookup(SENTENCE + " ") == [(100, "exact", "Envoyez vos questions.")]
    assert _lookup(SENTENCE + " ", NEIGHBOURS) == [(101, "context", "Envoyez vos questions.")]


def test_a_segment_with_the_space_is_stored_without_it_and_found_both_ways() -> None:
    memory().add([NewUnit(SENTENCE + " ", "Envoyez vos questions. ", "en", "fr")])
    unit = TranslationUnit.objects.get()
    assert (unit.source, unit.target) == (SENTENCE, "Envoyez vos questions.")
    assert _lookup(SENTENCE) == [(100, "exact", "Envoyez vos questions.")]
    assert _lookup(SENTENCE + " ") == [(100, "exact", "Envoyez vos questions.")]


def test_the_same_translation_with_and_without_the_space_is_one_unit() -> None:
    report = memory().add(
        [
            NewUnit(SENTENCE + " ", "Envoyez vos questions. ", "en", "fr"),
            NewUnit(SENTENCE, "Envoyez vos questions.", "en", "fr"),
        ]
    )
    assert (report.created, report.duplicates) == (1, 1)


def _stored_with_space(status: str = UnitStatus.CANDIDATE) -> TranslationUnit:
    """A unit as earlier versions stored it: the segment's trailing space kept, and
    hashed with it."""
    memory().add([NewUnit(SENTENCE, "Envoyez vos questions.", "en", "fr", status=status)])
    TranslationUnit.objects.update(
        source=SENTENCE + " ", target="Envoyez vos questions. ", source_hash=digest(SENTENCE + " ")
    )
    return TranslationUnit.objects.get()


def test_a_unit_stored_with_the_space_still_matches_exactly_either_way() -> None:
    _stored_with_space()
    assert _lookup(SENTENCE + " ") == [(100, "exact", "Envoyez vos questions. ")]
    assert _lookup(SENTENCE) == [(100, "exact", "Envoyez vos questions. ")]


def test_a_unit_stored_with_other_outer_space_is_still_exact() -> None:
    memory().add([NewUnit(SENTENCE, "Envoyez vos questions.", "en", "fr")])
    odd = f"\u00a0{SENTENCE}\t"
    TranslationUnit.objects.update(source=odd, source_hash=digest(odd))
    assert _lookup(SENTENCE + " ") == [(100, "exact", "Envoyez vos questions.")]


def test_units_are_exported_without_outer_space(tmp_path) -> None:
    _stored_with_space()
    tmx = io.BytesIO()
    export_file(tmx, "tmx", units_for("en"), source_lang="en")
    assert f"<seg>{SENTENCE}</seg>".encode() in tmx.getvalue()
    assert b"<seg>Envoyez vos questions.</seg>" in tmx.getvalue()
    text = io.StringIO()
    export_file(text, "csv", units_for("en"), source_lang="en")
    assert f"{SENTENCE},Envoyez vos questions.,en,fr" in text.getvalue()


def test_an_imported_tmx_unit_matches_a_segment_with_the_space(tmp_path) -> None:
    path = tmp_path / "desk.tmx"
    path.write_text(
        '<tmx version="1.4"><body><tu>'
        f'<tuv xml:lang="en"><seg>{SENTENCE}</seg></tuv>'
        '<tuv xml:lang="fr"><seg>Envoyez vos questions au service.</seg></tuv>'
        "</tu></body></tmx>",
        encoding="utf-8",
    )
    import_file(path, "en", "fr", promote=True)
    assert _lookup(SENTENCE + " ")[0][:2] == (100, "exact")
