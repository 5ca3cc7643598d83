"""Right-to-left targets: runs get ``w:rtl`` and complex-script twins of b/i/sz,
paragraphs ``w:bidi`` (alignment values are not swapped: Word mirrors them in a bidi
paragraph), languages go to ``@w:bidi``, DrawingML paragraphs get ``rtl="1"``."""

from __future__ import annotations

from lxml import etree

from tests.docx.builders import W, body_of, make_docx, one, p, r, read_part, translate

UNIT = "word/document.xml#p0.s0"


def _translated() -> bytes:
    body = p(
        r("Hello ") + r("bold", '<w:b/><w:sz w:val="28"/>') + r(" world."),
        '<w:spacing w:after="120"/><w:jc w:val="left"/>',
    )
    return translate(make_docx(body), {UNIT: "مرحبا <g1>عريض</g1> عالم."}, "ar")


def _local(element: etree._Element) -> str:
    return str(element.tag).rpartition("}")[2]


def test_runs_are_right_to_left_with_complex_script_twins_in_schema_order() -> None:
    paragraph = one(body_of(_translated()), f"{{{W}}}p")
    bold = next(run for run in paragraph.iter(f"{{{W}}}r") if run.find(f".//{{{W}}}b") is not None)
    assert [_local(c) for c in one(bold, f"{{{W}}}rPr")] == [
        "b",
        "bCs",
        "sz",
        "szCs",
        "rtl",
        "lang",
    ]
    assert one(bold, f"{{{W}}}rPr/{{{W}}}szCs").get(f"{{{W}}}val") == "28"
    lang = one(bold, f"{{{W}}}rPr/{{{W}}}lang")
    assert lang.get(f"{{{W}}}bidi") == "ar-SA"
    for run in paragraph.iter(f"{{{W}}}r"):
        assert run.find(f"{{{W}}}rPr/{{{W}}}rtl") is not None


def test_paragraph_is_bidi_and_alignment_is_left_as_written() -> None:
    ppr = one(body_of(_translated()), f"{{{W}}}p/{{{W}}}pPr")
    assert [_local(c) for c in ppr] == ["bidi", "spacing", "jc"]
    assert one(ppr, f"{{{W}}}jc").get(f"{{{W}}}val") == "left"


def test_document_defaults_and_theme_language_are_set() -> None:
    output = _translated()
    styles = read_part(output, "word/styles.xml")
    lang = one(styles, f".//{{{W}}}rPrDefault/{{{W}}}rPr/{{{W}}}lang")
    assert lang.get(f"{{{W}}}bidi") == "ar-SA"
    assert lang.get(f"{{{W}}}val") == "en-US"
    theme = one(read_part(output, "word/settings.xml"), f"{{{W}}}themeFontLang")
    assert theme.get(f"{{{W}}}bidi") == "ar-SA"
