"""Heading levels of units: built-in heading styles, styles based on them, direct
outline levels; body text has none."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement

from iris.docx import open_document


def build() -> bytes:
    document = Document()
    document.add_heading("The title", level=0)
    document.add_heading("Chapter one", level=1)
    document.add_paragraph("Body text under chapter one.")
    document.add_heading("A section", level=2)
    custom = document.styles.add_style("Chapter Banner", WD_STYLE_TYPE.PARAGRAPH)
    custom.base_style = document.styles["Heading 1"]
    document.add_paragraph("Banner heading", style="Chapter Banner")
    direct = document.add_paragraph("Outline level set on the paragraph")
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "2")
    direct._p.get_or_add_pPr().append(outline)
    body = document.add_paragraph("Explicit body text level")
    body_level = OxmlElement("w:outlineLvl")
    body_level.set(qn("w:val"), "9")
    body._p.get_or_add_pPr().append(body_level)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def levels() -> dict[str, int | None]:
    return {u.plain: u.heading_level for u in open_document(build()).units()}


def test_built_in_heading_styles_and_title() -> None:
    found = levels()
    assert found["The title"] == 0
    assert found["Chapter one"] == 0
    assert found["A section"] == 1


def test_style_based_on_a_heading_inherits_its_level() -> None:
    assert levels()["Banner heading"] == 0


def test_direct_outline_level_wins_and_9_is_body_text() -> None:
    found = levels()
    assert found["Outline level set on the paragraph"] == 2
    assert found["Explicit body text level"] is None
    assert found["Body text under chapter one."] is None
