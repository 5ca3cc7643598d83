"""Left-to-right complex-script targets (Thai, Indic scripts, …): runs get the
complex-script twins of ``b``/``i``/``sz``, a complex-script font and
``w:lang/@w:bidi``, which Word and LibreOffice format such text from, and no direction
setting at all; a Latin target gets none of it."""

from __future__ import annotations

import pytest
from lxml import etree

from iris.docx import open_document
from tests.docx.builders import W, all_text, body_of, make_docx, one, p, r, read_part, translate

SECTION = (
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" '
    'w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/>'
    '<w:docGrid w:linePitch="360"/></w:sectPr>'
)
_CALIBRI = '<w:rFonts w:ascii="Calibri" w:hAnsi="Calibri"/>'
TARGETS = {
    "th": ("<g1>รายงาน</g1> <g2>ฉบับนี้</g2> <g3>พร้อมแล้ว</g3>", "th-TH", "Leelawadee UI"),
    "hi": ("<g1>यह</g1> <g2>रिपोर्ट</g2> <g3>तैयार है</g3>", "hi-IN", "Nirmala UI"),
}
DIRECTION = ("rtl", "bidi", "bidiVisual", "rtlGutter")


def _source() -> bytes:
    """Bold, italic and sized runs written without their twins, in a table and a body
    paragraph of a section, as python-docx writes them."""
    runs = (
        r("Report", _CALIBRI + '<w:b/><w:sz w:val="32"/>')
        + r(" this", _CALIBRI + '<w:i/><w:lang w:val="en-US"/>')
        + r(" is ready", _CALIBRI + '<w:b/><w:i/><w:sz w:val="28"/>')
    )
    cell = "<w:tc><w:tcPr/>" + p(r("Cell.")) + "</w:tc>"
    table = f"<w:tbl><w:tblPr/><w:tblGrid/><w:tr>{cell}</w:tr></w:tbl>"
    return make_docx(p(runs, '<w:jc w:val="left"/>') + table + p(r("End."), SECTION))


def _translated(lang: str) -> bytes:
    data = _source()
    units = {u.plain: u.id for u in open_document(data).units()}
    target = TARGETS[lang][0] if lang in TARGETS else "<g1>Rapport</g1> <g2>ce</g2> <g3>prêt</g3>"
    return translate(data, {units["Report this is ready"]: target, units["Cell."]: "ก."}, lang)


def _rprs(body: etree._Element) -> list[etree._Element]:
    """Properties of the runs of the bold, italic, and bold italic words, in order."""
    first = one(body, f"{{{W}}}p")
    worded = [run for run in first.iter(f"{{{W}}}r") if all_text(run).strip()]
    return [one(run, f"{{{W}}}rPr") for run in worded]


def _locals(element: etree._Element) -> list[str]:
    return [str(child.tag).rpartition("}")[2] for child in element]


@pytest.mark.parametrize("lang", sorted(TARGETS))
def test_runs_get_the_complex_script_twins(lang: str) -> None:
    bold, italic, both = _rprs(body_of(_translated(lang)))
    assert _locals(bold) == ["rFonts", "b", "bCs", "sz", "szCs", "lang"]
    assert one(bold, f"{{{W}}}szCs").get(f"{{{W}}}val") == "32"
    assert _locals(italic) == ["rFonts", "i", "iCs", "lang"]
    assert _locals(both) == ["rFonts", "b", "bCs", "i", "iCs", "sz", "szCs", "lang"]
    assert one(both, f"{{{W}}}szCs").get(f"{{{W}}}val") == "28"


@pytest.mark.parametrize("lang", sorted(TARGETS))
def test_runs_get_a_complex_script_font_and_bidi_language(lang: str) -> None:
    _, culture, face = TARGETS[lang]
    for rpr in _rprs(body_of(_translated(lang))):
        fonts = one(rpr, f"{{{W}}}rFonts")
        assert fonts.get(f"{{{W}}}cs") == face
        assert fonts.get(f"{{{W}}}ascii") == "Calibri"
        assert one(rpr, f"{{{W}}}lang").get(f"{{{W}}}bidi") == culture
    italic = _rprs(body_of(_translated(lang)))[1]
    assert one(italic, f"{{{W}}}lang").get(f"{{{W}}}val") == "en-US"  # Latin text's


@pytest.mark.parametrize("lang", sorted(TARGETS))
def test_nothing_changes_direction(lang: str) -> None:
    document = read_part(_translated(lang), "word/document.xml")
    found = [_locals(e) for e in document.iter() if set(_locals(e)) & set(DIRECTION)]
    assert found == []


@pytest.mark.parametrize("lang", sorted(TARGETS))
def test_document_defaults_name_the_complex_script_language(lang: str) -> None:
    settings = read_part(_translated(lang), "word/settings.xml")
    font_lang = one(settings, f"{{{W}}}themeFontLang")
    assert font_lang.get(f"{{{W}}}bidi") == TARGETS[lang][1]


def test_a_latin_target_gets_none_of_it() -> None:
    body = body_of(_translated("fr"))
    for rpr in _rprs(body):
        assert not {"bCs", "iCs", "szCs", "rtl"} & set(_locals(rpr))
        assert one(rpr, f"{{{W}}}lang").get(f"{{{W}}}bidi") is None
        fonts = one(rpr, f"{{{W}}}rFonts")
        assert fonts.get(f"{{{W}}}cs") is None
