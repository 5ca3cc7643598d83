"""`Document.apply`: units absent from the targets keep their source, every call starts
from the source document, ids are stable across opens, sentences are separate units."""

from __future__ import annotations

from iris.docx import UnitKind, open_document
from tests.docx.builders import body_of, make_docx, p, r, texts

TABLE = "<w:tbl><w:tr><w:tc>" + p(r("In a cell.")) + "</w:tc></w:tr></w:tbl>"
BODY = p(r("First sentence. Second sentence.")) + TABLE


def test_sentences_are_units_with_stable_ids_and_kinds() -> None:
    data = make_docx(BODY)
    first = [(u.id, u.source, u.kind) for u in open_document(data).units()]
    assert first[:3] == [
        ("word/document.xml#p0.s0", "First sentence. ", UnitKind.BODY),
        ("word/document.xml#p0.s1", "Second sentence.", UnitKind.BODY),
        ("word/document.xml#p1.s0", "In a cell.", UnitKind.TABLE_CELL),
    ]
    assert [(u.id, u.source, u.kind) for u in open_document(data).units()] == first


def test_missing_targets_keep_the_source() -> None:
    document = open_document(make_docx(BODY))
    output = document.apply({"word/document.xml#p0.s1": "Zweiter Satz."}, "de")
    assert texts(body_of(output)) == "First sentence. Zweiter Satz.In a cell."


def test_each_apply_starts_from_the_source() -> None:
    document = open_document(make_docx(BODY))
    german = document.apply({"word/document.xml#p0.s0": "Erster Satz. "}, "de")
    french = document.apply({"word/document.xml#p1.s0": "Dans une cellule."}, "fr")
    assert texts(body_of(german)).startswith("Erster Satz. ")
    assert texts(body_of(french)) == "First sentence. Second sentence.Dans une cellule."


def test_units_report_words_and_locations() -> None:
    unit = open_document(make_docx(BODY)).units()[2]
    assert (unit.words, unit.location) == (3, "body ¶2 (table 1, row 1, cell 1)")


def test_characters_xml_cannot_hold_are_dropped_from_targets() -> None:
    document = open_document(make_docx(BODY))
    output = document.apply({"word/document.xml#p0.s0": "Erster\x0b Satz\x00. "}, "de")
    assert texts(body_of(output)).startswith("Erster Satz. ")
