"""New property elements are inserted at their ECMA-376 sequence position."""

from __future__ import annotations

from lxml import etree

from iris.docx.writing.schema_order import PPR_ORDER, RPR_ORDER, SETTINGS_ORDER, ensure_child
from tests.docx.builders import DECLARATIONS, W


def _element(xml: str) -> etree._Element:
    return etree.fromstring(xml.replace("<root", f"<root {DECLARATIONS}"))[0]


def _locals(element: etree._Element) -> list[str]:
    return [child.tag.rpartition("}")[2] for child in element]


def test_rpr_sequence() -> None:
    rpr = _element(
        '<root><w:rPr><w:rStyle w:val="x"/><w:b/><w:sz w:val="2"/><w14:glow/></w:rPr></root>'
    )
    ensure_child(rpr, f"{{{W}}}lang", RPR_ORDER)
    ensure_child(rpr, f"{{{W}}}rFonts", RPR_ORDER)
    ensure_child(rpr, f"{{{W}}}rtl", RPR_ORDER)
    assert _locals(rpr) == ["rStyle", "rFonts", "b", "sz", "rtl", "lang", "glow"]


def test_ppr_bidi_goes_before_spacing_and_after_numbering() -> None:
    ppr = _element(
        '<root><w:pPr><w:pStyle w:val="x"/><w:numPr/><w:spacing/>'
        '<w:jc w:val="both"/><w:rPr/></w:pPr></root>'
    )
    ensure_child(ppr, f"{{{W}}}bidi", PPR_ORDER)
    assert _locals(ppr) == ["pStyle", "numPr", "bidi", "spacing", "jc", "rPr"]


def test_settings_theme_language_goes_after_math_properties() -> None:
    settings = _element(
        '<root><w:settings><w:zoom/><w:compat/><w:rsids/><m:mathPr xmlns:m="urn:m"/>'
        '<w:clrSchemeMapping/><w15:chartTrackingRefBased xmlns:w15="urn:w15"/></w:settings></root>'
    )
    ensure_child(settings, f"{{{W}}}themeFontLang", SETTINGS_ORDER)
    ensure_child(settings, f"{{{W}}}updateFields", SETTINGS_ORDER)
    assert _locals(settings) == [
        "zoom",
        "updateFields",
        "compat",
        "rsids",
        "mathPr",
        "themeFontLang",
        "clrSchemeMapping",
        "chartTrackingRefBased",
    ]


def test_existing_child_is_returned_not_duplicated() -> None:
    rpr = _element('<root><w:rPr><w:lang w:val="en-US"/></w:rPr></root>')
    assert ensure_child(rpr, f"{{{W}}}lang", RPR_ORDER) is rpr[0]
    assert len(rpr) == 1
