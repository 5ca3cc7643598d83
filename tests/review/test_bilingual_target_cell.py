"""What a reviewer can do to a Target cell in Word that a segment cannot hold: press
Enter (a second paragraph: joined with a space, and said so) or hide text (w:vanish:
left out of the target, and said so). Both are warnings naming the unit."""

from __future__ import annotations

from lxml import etree

from iris.review.bilingual import read_bilingual, write_bilingual
from iris.review.importer import JobFacts, SegmentNow, judge
from iris.review.package import ReadUnit
from tests.review.test_bilingual import FRENCH, TARGET, cell, edited, make_run, one, rewrite, w

ORIGINAL = FRENCH.units[0].target  # "Bonjour <g1>gras</g1> monde<x2/>"


def _paragraph_after(text: str):
    def change(root: etree._Element) -> None:
        paragraph = etree.Element(w("p"))
        if text:
            paragraph.append(make_run(text))
        one(cell(root, 1, TARGET), "w:p").addnext(paragraph)

    return change


def _hidden_run(text: str, val: str | None = None):
    def change(root: etree._Element) -> None:
        run = make_run(text)
        properties = etree.Element(w("rPr"))
        vanish = etree.SubElement(properties, w("vanish"))
        if val is not None:
            vanish.set(w("val"), val)
        run.insert(0, properties)
        one(cell(root, 1, TARGET), "w:p").append(run)

    return change


def _codes(read: ReadUnit) -> list[str]:
    return [notice.code for notice in read.notices]


def test_enter_in_a_target_cell_joins_the_paragraphs_with_a_space_and_says_so() -> None:
    read = edited(_paragraph_after("  Fin de la frase.")).units[0]
    assert read.target == f"{ORIGINAL} Fin de la frase."
    assert _codes(read) == ["paragraphs_joined"]
    assert "'s1'" in read.notices[0].message
    assert "2 paragraphs" in read.notices[0].message
    assert read.problem is None


def test_an_empty_paragraph_left_by_enter_changes_nothing() -> None:
    read = edited(_paragraph_after("")).units[0]
    assert (read.target, read.notices) == (ORIGINAL, ())


def test_hidden_text_in_a_target_cell_is_dropped_and_said_so() -> None:
    read = edited(_hidden_run(" texte caché")).units[0]
    assert read.target == ORIGINAL
    assert _codes(read) == ["hidden_text_dropped"]
    assert "'s1'" in read.notices[0].message
    assert "texte caché" in read.notices[0].message


def test_a_run_whose_vanish_is_switched_off_is_visible_text() -> None:
    read = edited(_hidden_run(" visible", "0")).units[0]
    assert (read.target, read.notices) == (f"{ORIGINAL} visible", ())


def test_the_import_report_warns_naming_the_unit() -> None:
    data = rewrite(write_bilingual(FRENCH), _hidden_run(" caché"))
    read = read_bilingual(data)
    # sources with the targets' tags: only the hidden text is under test
    rows = {
        unit.key: SegmentNow(unit.key, unit.target, unit.target, unit.state.value, unit.comment)
        for unit in FRENCH.units
    }
    facts = JobFacts(FRENCH.job, FRENCH.target_lang, frozenset({FRENCH.package}), "en")
    report = judge(read, facts, rows)
    assert report.accepted
    assert [(p.code, p.unit) for p in report.warnings] == [("hidden_text_dropped", "s1")]
    assert report.changes == []
