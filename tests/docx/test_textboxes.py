"""Text boxes: DrawingML (``wps:txbx``), VML (``v:textbox``) and both inside
``mc:AlternateContent``. A Fallback whose text equals its Choice shares the Choice's
units (translated once, written twice); a Fallback with other text has its own."""

from __future__ import annotations

from iris.docx import UnitKind
from iris.docx.verification.check import identity_differences
from tests.docx.builders import W, body_of, make_docx, p, r, texts, translate, units_by_id


def _alternate(choice_text: str, fallback_text: str) -> str:
    choice = (
        '<mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="1" name="Box"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx><w:txbxContent>{p(r(choice_text))}</w:txbxContent></wps:txbx>"
        "</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
    )
    fallback = (
        '<mc:Fallback><w:pict><v:shape id="Box"><v:textbox><w:txbxContent>'
        f"{p(r(fallback_text))}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
    )
    return p(
        r("Anchor text. ")
        + f"<w:r><mc:AlternateContent>{choice}{fallback}</mc:AlternateContent></w:r>"
    )


def test_equal_fallback_shares_the_choice_unit_and_both_are_written() -> None:
    data = make_docx(_alternate("Inside the box.", "Inside the box."))
    boxes = [u for u in units_by_id(data).values() if u.kind is UnitKind.TEXTBOX]
    assert [(u.id, u.source) for u in boxes] == [("word/document.xml#p1.s0", "Inside the box.")]
    output = translate(data, {boxes[0].id: "In der Box."})
    contents = list(body_of(output).iter(f"{{{W}}}txbxContent"))
    assert [texts(c) for c in contents] == ["In der Box.", "In der Box."]


def test_different_fallback_text_gets_its_own_unit() -> None:
    data = make_docx(_alternate("New text.", "Old text."))
    boxes = [u.source for u in units_by_id(data).values() if u.kind is UnitKind.TEXTBOX]
    assert boxes == ["New text.", "Old text."]


def test_anchor_paragraph_tags_the_box_as_one_code() -> None:
    units = units_by_id(make_docx(_alternate("Box.", "Box.")))
    assert units["word/document.xml#p0.s0"].source == "Anchor text. "


def test_vml_text_box_alone_is_a_textbox_unit() -> None:
    vml = (
        '<w:r><w:pict><v:shape id="b"><v:textbox><w:txbxContent>'
        f"{p(r('Old style box.'))}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )
    units = units_by_id(make_docx(p(r("Text ") + vml)))
    assert [(u.source, u.kind) for u in units.values() if u.kind is UnitKind.TEXTBOX] == [
        ("Old style box.", UnitKind.TEXTBOX)
    ]


def test_text_boxes_round_trip_exactly() -> None:
    assert identity_differences(make_docx(_alternate("A box.", "A box."))) == []
