"""Formatting that differs within a paragraph becomes paired tags; the paragraph's
dominant formatting stays untagged; translated text lands in runs with the formatting
its tag stands for."""

from __future__ import annotations

from tests.docx.builders import W, body_of, make_docx, p, r, translate, units_by_id

UNIT = "word/document.xml#p0.s0"


def test_dominant_formatting_is_untagged_and_differences_are_described() -> None:
    body = p(
        r("Mostly plain text with ") + r("bold", "<w:b/>") + r(" and ")
        + r("bold italic", "<w:b/><w:i/>") + r(" words.")
    )  # fmt: skip
    unit = units_by_id(make_docx(body))[UNIT]
    assert unit.source == "Mostly plain text with <g1>bold</g1> and <g2>bold italic</g2> words."
    assert unit.tags == {1: "bold", 2: "bold+italic"}


def test_a_bold_paragraph_tags_its_plain_word() -> None:
    body = p(r("This whole sentence is bold except ", "<w:b/>") + r("one") + r(".", "<w:b/>"))
    unit = units_by_id(make_docx(body))[UNIT]
    assert unit.source == "This whole sentence is bold except <g1>one</g1>."
    assert unit.tags == {1: "not-bold"}


def test_moved_tag_carries_its_formatting_to_the_new_words() -> None:
    data = make_docx(p(r("Click ") + r("Save", "<w:b/>") + r(" now.")))
    output = translate(data, {UNIT: "Jetzt auf <g1>Speichern</g1> klicken."})
    paragraph = body_of(output).find(f"{{{W}}}p")
    assert paragraph is not None
    runs = paragraph.findall(f"{{{W}}}r")
    bold = [run.findtext(f"{{{W}}}t") for run in runs if run.find(f".//{{{W}}}b") is not None]
    plain = [run.findtext(f"{{{W}}}t") for run in runs if run.find(f".//{{{W}}}b") is None]
    assert bold == ["Speichern"]
    assert plain == ["Jetzt auf ", " klicken."]


def test_inter_word_spaces_stay_with_the_text() -> None:
    data = make_docx(p(r("Hello ") + r("world", "<w:i/>") + r(".")))
    unit = units_by_id(data)[UNIT]
    assert unit.source == "Hello <g1>world</g1>."
    output = translate(data, {UNIT: " Hallo <g1>Welt</g1>. "})
    ts = list(body_of(output).iter(f"{{{W}}}t"))
    assert [t.text for t in ts] == [" Hallo ", "Welt", ". "]
    space = "{http://www.w3.org/XML/1998/namespace}space"
    assert [t.get(space) for t in ts] == ["preserve", None, "preserve"]
