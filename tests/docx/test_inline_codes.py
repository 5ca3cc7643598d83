"""Tabs, breaks, note references and images are standalone tags; an engine that drops
or scrambles them cannot lose them: repair puts every one back."""

from __future__ import annotations

from tests.docx.builders import (
    Part,
    W,
    body_of,
    make_docx,
    one,
    p,
    r,
    story,
    translate,
    units_by_id,
)

UNIT = "word/document.xml#p0.s0"
DRAWING = (
    '<w:r><w:drawing><wp:inline><wp:extent cx="10" cy="10"/><wp:docPr id="1" name="Picture 1"/>'
    '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="p.png"/><pic:cNvPicPr/></pic:nvPicPr>'
    "<pic:blipFill/><pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
)
NOTE_REF = (
    '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'
)
NOTES = Part(
    "word/footnotes.xml",
    "footnotes",
    story(
        "footnotes",
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
        '<w:r><w:t xml:space="preserve"> A note.</w:t></w:r></w:p></w:footnote>',
    ),
)
BODY = p(
    r("Name")
    + "<w:r><w:tab/></w:r>"
    + r("value with a note")
    + NOTE_REF
    + r(" and a picture ")
    + DRAWING
    + r(" then a break")
    + '<w:r><w:br w:type="page"/></w:r>'
    + r("after it.")
)


def _document() -> bytes:
    return make_docx(BODY, parts=[NOTES])


def test_codes_are_standalone_tags_with_descriptions() -> None:
    unit = units_by_id(_document())[UNIT]
    assert unit.source == (
        "Name<x1/>value with a note<x2/> and a picture <x3/> then a break<x4/>after it."
    )
    assert unit.tags == {1: "tab", 2: "footnote-ref", 3: "image", 4: "page-break"}


def test_dropped_tags_are_restored_never_lost() -> None:
    output = translate(_document(), {UNIT: "Name Wert mit Fußnote und Bild, dann Umbruch."})
    body = body_of(output)
    assert len(list(body.iter(f"{{{W}}}footnoteReference"))) == 1
    assert len(list(body.iter(f"{{{W}}}drawing"))) == 1
    assert len(list(body.iter(f"{{{W}}}tab"))) == 1
    assert [b.get(f"{{{W}}}type") for b in body.iter(f"{{{W}}}br")] == ["page"]


def test_reordered_codes_keep_their_own_run_properties() -> None:
    output = translate(_document(), {UNIT: "<x3/>Bild<x2/> zuerst<x1/>dann<x4/>Ende."})
    reference = next(body_of(output).iter(f"{{{W}}}footnoteReference"))
    run = reference.getparent()
    assert run is not None
    assert one(run, f"{{{W}}}rPr/{{{W}}}vertAlign").get(f"{{{W}}}val") == "superscript"


def test_footnote_text_is_its_own_unit_and_its_number_stays_in_place() -> None:
    units = units_by_id(_document())
    notes = [u for u in units.values() if u.part == "word/footnotes.xml"]
    # The automatic note number leads the paragraph, so it is not even a tag.
    assert [(u.source, u.kind.value) for u in notes] == [(" A note.", "footnote")]
