"""Fields: codes are never translated; numeric results (PAGE, SEQ, PAGEREF…) stay whole
as one placeholder; textual results (REF, TOC…) are translated between the code and
the end, and the settings ask Word to refresh fields on open."""

from __future__ import annotations

from tests.docx.builders import W, make_docx, one, p, r, read_part, translate, units_by_id

UNIT = "word/document.xml#p0.s0"


def _complex(code: str, result: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{r(result)}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def test_page_field_is_one_placeholder_and_its_code_is_not_text() -> None:
    data = make_docx(p(r("Page ") + _complex("PAGE", "3") + r(" of the report.")))
    unit = units_by_id(data)[UNIT]
    assert unit.source == "Page <x1/> of the report."
    assert unit.tags == {1: "field PAGE"}
    assert "PAGE" not in unit.plain


def test_textual_field_result_is_translated_inside_its_code() -> None:
    data = make_docx(p(r("See ") + _complex("REF _Ref1 \\h", "the introduction") + r(" below.")))
    unit = units_by_id(data)[UNIT]
    assert unit.source == "See <g1>the introduction</g1> below."
    assert unit.tags == {1: "field REF"}
    output = translate(data, {UNIT: "Siehe <g1>die Einleitung</g1> unten."})
    body = read_part(output, "word/document.xml")
    assert [t.text for t in body.iter(f"{{{W}}}instrText")] == [" REF _Ref1 \\h "]
    kinds = [c.get(f"{{{W}}}fldCharType") for c in body.iter(f"{{{W}}}fldChar")]
    assert kinds == ["begin", "separate", "end"]
    assert "die Einleitung" in "".join(t.text or "" for t in body.iter(f"{{{W}}}t"))


def test_translation_asks_word_to_update_fields_at_the_schema_position() -> None:
    settings = '<w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/><w:compat/>'
    data = make_docx(p(r("See ") + _complex("REF x", "here") + r(".")), settings=settings)
    output = translate(data, {UNIT: "Siehe <g1>hier</g1>."})
    children = [c.tag.rpartition("}")[2] for c in read_part(output, "word/settings.xml")]
    assert children == ["zoom", "defaultTabStop", "updateFields", "compat", "themeFontLang"]
    update = one(read_part(output, "word/settings.xml"), f"{{{W}}}updateFields")
    assert update.get(f"{{{W}}}val") == "true"


def test_identity_leaves_settings_untouched() -> None:
    data = make_docx(p(r("See ") + _complex("REF x", "here") + r(".")))
    output = translate(data, {})
    assert read_part(output, "word/settings.xml").find(f"{{{W}}}updateFields") is None


def test_simple_fields_follow_the_same_rules() -> None:
    body = p(
        r("Figure ")
        + '<w:fldSimple w:instr=" SEQ Figure \\* ARABIC "><w:r><w:t>1</w:t></w:r></w:fldSimple>'
        + r(": see ")
        + '<w:fldSimple w:instr=" STYLEREF 1 "><w:r><w:t>Results</w:t></w:r></w:fldSimple>'
        + r(".")
    )
    unit = units_by_id(make_docx(body))[UNIT]
    assert unit.source == "Figure <x1/>: see <g2>Results</g2>."
    assert unit.tags == {1: "field SEQ", 2: "field STYLEREF"}


def test_field_spanning_paragraphs_keeps_its_code_and_translates_its_result() -> None:
    first = p(
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText> TOC \\o "1-3" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + r("Introduction")
    )
    last = p(r("Conclusion") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    units = units_by_id(make_docx(first + last))
    assert units["word/document.xml#p0.s0"].source == "Introduction"
    assert units["word/document.xml#p1.s0"].source == "Conclusion"
