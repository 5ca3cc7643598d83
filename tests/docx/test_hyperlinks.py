"""Hyperlinks: their text is translated inside a paired tag, their targets are kept,
and a link spanning two sentences stays one element."""

from __future__ import annotations

from iris.docx.verification.compare import compare
from tests.docx.builders import R, W, all_text, body_of, make_docx, p, r, translate, units_by_id

LINK = '<w:hyperlink r:id="rIdLink" w:history="1">{}</w:hyperlink>'


def _document(text: str) -> bytes:
    body = p(r("Read ") + LINK.format(r(text, '<w:rStyle w:val="Hyperlink"/>')) + r(" today."))
    return make_docx(body, links={"rIdLink": "https://example.org/guide"})


def test_link_text_is_a_paired_tag_and_the_target_is_kept() -> None:
    data = _document("the guide")
    unit = units_by_id(data)["word/document.xml#p0.s0"]
    assert unit.source == "Read <g1>the guide</g1> today."
    assert unit.tags == {1: "link"}
    output = translate(data, {unit.id: "Lesen Sie heute <g1>den Leitfaden</g1>."})
    link = next(body_of(output).iter(f"{{{W}}}hyperlink"))
    assert link.get(f"{{{R}}}id") == "rIdLink"
    assert all_text(link) == "den Leitfaden"


def test_a_link_over_two_sentences_stays_one_element() -> None:
    data = _document("the guide. It helps")
    units = units_by_id(data)
    assert [u.source for u in units.values() if u.part == "word/document.xml"] == [
        "Read <g1>the guide. </g1>",
        "<g1>It helps</g1> today.",
    ]
    output = translate(
        data,
        {
            "word/document.xml#p0.s0": "Lies <g1>den Leitfaden. </g1>",
            "word/document.xml#p0.s1": "<g1>Er hilft</g1> heute.",
        },
    )
    links = list(body_of(output).iter(f"{{{W}}}hyperlink"))
    assert [all_text(link) for link in links] == ["den Leitfaden. Er hilft"]


def test_a_link_split_by_moved_tags_is_a_formatting_note_not_a_loss() -> None:
    data = _document("the guide. It helps")
    targets = {
        "word/document.xml#p0.s0": "<g1>Den Leitfaden</g1> lesen. ",
        "word/document.xml#p0.s1": "<g1>Er hilft</g1> heute.",
    }
    output = translate(data, targets)
    links = list(body_of(output).iter(f"{{{W}}}hyperlink"))
    assert [all_text(link) for link in links] == ["Den Leitfaden", "Er hilft"]
    assert {link.get(f"{{{R}}}id") for link in links} == {"rIdLink"}
    report = compare(data, output)
    assert report.clean
    assert report.formatting == [
        "word/document.xml: hyperlinks 1 → 2",
        "word/document.xml#p0: formatting stretches 3 → 4",
    ]
