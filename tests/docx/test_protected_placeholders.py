"""Template placeholders (``{{ name }}``, ``{% if %}``, ``%s``, ``{0}``) and URLs are
standalone tags: an engine cannot alter them, and their text is restored on apply."""

from __future__ import annotations

from tests.docx.builders import body_of, make_docx, p, r, texts, translate, units_by_id

UNIT = "word/document.xml#p0.s0"


def test_placeholders_become_standalone_tags() -> None:
    data = make_docx(p(r("Hello {{ name }}, you have %s new messages {0}")))
    unit = units_by_id(data)[UNIT]
    assert unit.source == "Hello <x1/>, you have <x2/> new messages <x3/>"
    assert unit.tags == {1: "placeholder", 2: "placeholder", 3: "placeholder"}
    assert unit.plain == "Hello {{ name }}, you have %s new messages {0}"


def test_placeholder_text_is_restored_even_when_the_engine_drops_it() -> None:
    data = make_docx(p(r("{% if paid %}Thank you, {{ name }}.{% endif %}")))
    unit = units_by_id(data)[UNIT]
    assert unit.source == "<x1/>Thank you, <x2/>.<x3/>"
    output = translate(data, {UNIT: "Danke, <x2/>."})
    assert texts(body_of(output)).count("{% if paid %}") == 1
    assert "{{ name }}" in texts(body_of(output))
    assert "{% endif %}" in texts(body_of(output))


def test_paragraphs_of_placeholders_have_no_units_and_numbers_are_not_translatable() -> None:
    body = p(r("{{ signature }}")) + p(r("https://example.org/a")) + p(r("1,250.00 %"))
    units = [u for u in units_by_id(make_docx(body)).values() if u.part == "word/document.xml"]
    assert [(u.id, u.source, u.translatable) for u in units] == [
        ("word/document.xml#p2.s0", "1,250.00 %", False)
    ]
