"""Table styles give their Latin font to the text of their tables, and so decide the
class of the East Asian (CJK targets) or complex-script (RTL targets) face: in Word's
order a table style comes after the paragraph style and before the document defaults.
The documents here have no font in their defaults, so their text is in Times New Roman
(serif) unless a style says otherwise."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from iris.docx import open_document
from tests.docx.builders import W, body_of, make_docx, p, r
from tests.docx.conftest import corpus_dir, require_corpus

SANS_TABLE = (
    '<w:style w:type="table" w:styleId="SansTable"><w:name w:val="Sans Table"/>'
    '<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/></w:rPr></w:style>'
)
SERIF_TABLE = (
    '<w:style w:type="table" w:styleId="SerifTable"><w:name w:val="Serif Table"/>'
    '<w:rPr><w:rFonts w:ascii="Georgia" w:hAnsi="Georgia"/></w:rPr></w:style>'
)
GOTHIC = {"ja": "Yu Gothic", "zh": "Microsoft YaHei"}
MINCHO = {"ja": "Yu Mincho", "zh": "SimSun"}


def table(content: str, style: str | None = None) -> str:
    """A one-cell table holding ``content`` (block XML), with an optional style."""
    properties = "" if style is None else f'<w:tblPr><w:tblStyle w:val="{style}"/></w:tblPr>'
    return (
        f"<w:tbl>{properties}<w:tblGrid><w:gridCol/></w:tblGrid>"
        f"<w:tr><w:tc>{content}</w:tc></w:tr></w:tbl>"
    )


def faces(data: bytes, lang: str, slot: str = "eastAsia") -> dict[str, set[str | None]]:
    """Translate every unit of ``data`` into ``lang`` and give, per source paragraph text,
    the ``w:rFonts/@w:<slot>`` values of its runs (nested tables' paragraphs apart)."""
    document = open_document(data)
    sources = {unit.id: unit.plain for unit in document.units()}
    targets = {unit_id: f"[{text}] 日本語。" for unit_id, text in sources.items()}
    found: dict[str, set[str | None]] = {}
    for paragraph in body_of(document.apply(targets, lang)).iter(f"{{{W}}}p"):
        runs = list(paragraph.iterchildren(f"{{{W}}}r"))
        text = "".join(t.text or "" for run in runs for t in run.iterchildren(f"{{{W}}}t"))
        if not text.startswith("["):
            continue
        values = {_font_attribute(run, slot) for run in runs if run.find(f"{{{W}}}t") is not None}
        found[text[1 : text.index("]")]] = values
    return found


def _font_attribute(run: etree._Element, slot: str) -> str | None:
    fonts = run.find(f"{{{W}}}rPr/{{{W}}}rFonts")
    return None if fonts is None else fonts.get(f"{{{W}}}{slot}")


@pytest.mark.parametrize("lang", ["ja", "zh"])
def test_a_sans_table_style_gives_its_text_a_gothic_face(lang: str) -> None:
    body = p(r("Before.")) + table(p(r("Inside."))) + table(p(r("Styled.")), "SansTable")
    found = faces(make_docx(body + p(r("After.")), styles=SANS_TABLE), lang)
    assert found == {
        "Before.": {MINCHO[lang]},
        "Inside.": {MINCHO[lang]},  # a table without a style, and no default table style
        "Styled.": {GOTHIC[lang]},
        "After.": {MINCHO[lang]},
    }


def test_word_order_paragraph_and_run_formatting_beat_the_table_style() -> None:
    styles = (
        SANS_TABLE + '<w:style w:type="paragraph" w:styleId="Serif"><w:name w:val="Serif"/>'
        '<w:rPr><w:rFonts w:ascii="Georgia" w:hAnsi="Georgia"/></w:rPr></w:style>'
        '<w:style w:type="character" w:styleId="Roman"><w:name w:val="Roman"/>'
        '<w:rPr><w:rFonts w:ascii="Cambria" w:hAnsi="Cambria"/></w:rPr></w:style>'
    )
    cell = (
        p(r("Plain."))
        + p(r("Styled paragraph."), '<w:pStyle w:val="Serif"/>')
        + p(r("Styled run.", '<w:rStyle w:val="Roman"/>'))
        + p(r("Direct.", '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/>'))
    )
    found = faces(make_docx(table(cell, "SansTable"), styles=styles), "ja")
    assert found == {
        "Plain.": {"Yu Gothic"},
        "Styled paragraph.": {"Yu Mincho"},
        "Styled run.": {"Yu Mincho"},
        "Direct.": {"Yu Mincho"},
    }


def test_a_font_in_the_default_paragraph_style_beats_the_table_style() -> None:
    normal = (
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        '<w:rPr><w:rFonts w:ascii="Georgia" w:hAnsi="Georgia"/></w:rPr></w:style>'
    )
    data = make_docx(table(p(r("Cell.")), "SansTable"), styles=normal + SANS_TABLE)
    assert faces(data, "ja") == {"Cell.": {"Yu Mincho"}}


def test_table_styles_inherit_fonts_through_based_on() -> None:
    styles = (
        SANS_TABLE
        # East Asian and complex-script fonts alone do not end the search for a Latin one
        + '<w:style w:type="table" w:styleId="Child"><w:name w:val="Child"/>'
        '<w:basedOn w:val="SansTable"/>'
        '<w:rPr><w:rFonts w:eastAsia="Times New Roman" w:cs="Times New Roman"/></w:rPr>'
        "</w:style>"
        '<w:style w:type="table" w:styleId="Grandchild"><w:name w:val="Grandchild"/>'
        '<w:basedOn w:val="Child"/></w:style>'
        '<w:style w:type="table" w:styleId="Own"><w:name w:val="Own"/>'
        '<w:basedOn w:val="SansTable"/>'
        '<w:rPr><w:rFonts w:ascii="Cambria" w:hAnsi="Cambria"/></w:rPr></w:style>'
        '<w:style w:type="table" w:styleId="LoopA"><w:name w:val="Loop A"/>'
        '<w:basedOn w:val="LoopB"/></w:style>'
        '<w:style w:type="table" w:styleId="LoopB"><w:name w:val="Loop B"/>'
        '<w:basedOn w:val="LoopA"/></w:style>'
    )
    body = (
        table(p(r("Grandchild.")), "Grandchild")
        + table(p(r("Own font.")), "Own")
        + table(p(r("Loop.")), "LoopA")
        + table(p(r("Missing.")), "NoSuchStyle")
    )
    found = faces(make_docx(body, styles=styles), "ja")
    assert found == {
        "Grandchild.": {"Yu Gothic"},
        "Own font.": {"Yu Mincho"},
        "Loop.": {"Yu Mincho"},
        "Missing.": {"Yu Mincho"},
    }


def test_the_default_table_style_applies_to_tables_without_a_style() -> None:
    default = (
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
        '<w:name w:val="Normal Table"/>'
        '<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/></w:rPr></w:style>'
    )
    plain = (
        '<w:style w:type="table" w:styleId="Plain"><w:name w:val="Plain"/>'
        '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/></w:tblPr></w:style>'
    )
    body = (
        p(r("Outside."))
        + table(p(r("No style.")))
        + table(p(r("Serif style.")), "SerifTable")
        + table(p(r("Style without fonts.")), "Plain")
    )
    found = faces(make_docx(body, styles=default + SERIF_TABLE + plain), "zh")
    assert found == {
        "Outside.": {"SimSun"},
        "No style.": {"Microsoft YaHei"},
        "Serif style.": {"SimSun"},
        # a table that names a style does not take the default table style as well
        "Style without fonts.": {"SimSun"},
    }


def test_a_nested_table_uses_its_own_style() -> None:
    inner_styled = table(p(r("Inner serif.")), "SerifTable")
    inner_plain = table(p(r("Inner plain.")))
    outer = table(p(r("Outer.")) + inner_styled + inner_plain + p(r("Outer again.")), "SansTable")
    found = faces(make_docx(outer, styles=SANS_TABLE + SERIF_TABLE), "ja")
    assert found == {
        "Outer.": {"Yu Gothic"},
        "Inner serif.": {"Yu Mincho"},
        "Inner plain.": {"Yu Mincho"},  # nothing is inherited from the outer table
        "Outer again.": {"Yu Gothic"},
    }


def test_a_text_box_in_a_table_is_a_story_of_its_own() -> None:
    box = (
        '<w:r><w:pict><v:shape id="Box"><v:textbox><w:txbxContent>'
        f"{p(r('In the box.'))}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )
    cell = p(r("Cell text.") + box)
    found = faces(make_docx(table(cell, "SansTable"), styles=SANS_TABLE), "ja")
    assert found["Cell text."] == {"Yu Gothic"}
    assert found["In the box."] == {"Yu Mincho"}


def test_right_to_left_complex_script_font_follows_the_table_style() -> None:
    body = p(r("Outside.")) + table(p(r("Inside.")), "SansTable")
    found = faces(make_docx(body, styles=SANS_TABLE), "ar", slot="cs")
    assert found == {"Outside.": {"Times New Roman"}, "Inside.": {"Arial"}}


def test_corpus_table_style_with_theme_fonts() -> None:
    """pydocx__template-default.docx: body text in the theme's minor font (Cambria,
    serif); its table style "Medium List 2" sets the major font (Calibri, sans-serif).
    No corpus document has a table whose style names a Latin font, so a table of that
    style is added to this one's (empty) body."""
    path = corpus_dir() / "pydocx__template-default.docx"
    source = require_corpus(path if path.exists() else None).read_bytes()
    body = p(r("Body text.")) + table(p(r("Table text.")), "MediumList2")
    data = _with_body(source, body)
    assert faces(data, "ja") == {"Body text.": {"Yu Mincho"}, "Table text.": {"Yu Gothic"}}
    assert faces(data, "zh") == {"Body text.": {"SimSun"}, "Table text.": {"Microsoft YaHei"}}


def _with_body(data: bytes, body: str) -> bytes:
    """The package with ``body`` put in front of its main part's section properties."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for name in source.namelist():
            content = source.read(name)
            if name == "word/document.xml":
                root = etree.fromstring(content)
                section = root.find(f"{{{W}}}body/{{{W}}}sectPr")
                assert section is not None
                fragment = etree.fromstring(f'<w:body xmlns:w="{W}">{body}</w:body>')
                for element in fragment:
                    section.addprevious(element)
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            out.writestr(name, content)
    return buffer.getvalue()
