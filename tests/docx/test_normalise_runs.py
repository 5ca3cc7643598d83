"""Run fragmentation is normalised before segmentation: a sentence split over runs
by rsids, proofing marks or equal-but-differently-written properties is one unit
without tags, and the output holds it in one run."""

from __future__ import annotations

from iris.docx.verification.check import identity_differences
from tests.docx.builders import W, body_of, make_docx, one, p, r, translate, units_by_id

FRAGMENTED = p(
    '<w:r w:rsidR="00A1B2C3"><w:t>Hel</w:t></w:r>'
    '<w:proofErr w:type="spellStart"/>'
    '<w:r w:rsidRPr="00D4E5F6"><w:t xml:space="preserve">lo wor</w:t></w:r>'
    '<w:proofErr w:type="spellEnd"/>'
    "<w:r><w:lastRenderedPageBreak/><w:t>ld.</w:t></w:r>"
)


def test_fragmented_runs_make_one_untagged_unit() -> None:
    units = units_by_id(make_docx(FRAGMENTED))
    assert units["word/document.xml#p0.s0"].source == "Hello world."
    assert units["word/document.xml#p0.s0"].tags == {}


def test_output_holds_the_sentence_in_one_run_without_noise() -> None:
    data = make_docx(FRAGMENTED)
    output = translate(data, {"word/document.xml#p0.s0": "Hallo Welt."})
    paragraph = body_of(output).find(f"{{{W}}}p")
    assert paragraph is not None
    runs = paragraph.findall(f"{{{W}}}r")
    assert [run.findtext(f"{{{W}}}t") for run in runs] == ["Hallo Welt."]
    assert paragraph.find(f"{{{W}}}proofErr") is None
    assert not any(str(k).endswith("rsidR") for run in runs for k in run.attrib)
    assert next(paragraph.iter(f"{{{W}}}lastRenderedPageBreak"), None) is None


def test_toggle_written_as_true_equals_toggle_without_value() -> None:
    body = p(r("Bold ", '<w:b w:val="true"/>') + r("text", "<w:b/>") + r(" and plain."))
    unit = units_by_id(make_docx(body))["word/document.xml#p0.s0"]
    assert unit.source == "<g1>Bold text</g1> and plain."
    assert unit.tags == {1: "bold"}


def test_explicit_off_is_not_absent() -> None:
    body = p(r("Not bold ", '<w:b w:val="0"/>') + r("but plain text here."))
    unit = units_by_id(make_docx(body))["word/document.xml#p0.s0"]
    assert unit.source == "<g1>Not bold </g1>but plain text here."


def test_runs_are_never_merged_across_a_bookmark() -> None:
    body = p(r("Before ") + '<w:bookmarkStart w:id="1" w:name="here"/>' + r("after."))
    data = make_docx(body)
    unit = units_by_id(data)["word/document.xml#p0.s0"]
    assert unit.source == "Before <x1/>after."
    assert unit.tags == {1: "bookmark"}
    output = translate(data, {unit.id: "Vorher <x1/>nachher."})
    children = [str(c.tag).rpartition("}")[2] for c in one(body_of(output), f"{{{W}}}p")]
    assert children == ["r", "bookmarkStart", "r"]


def test_identity_is_exact_after_normalisation() -> None:
    assert identity_differences(make_docx(FRAGMENTED)) == []
