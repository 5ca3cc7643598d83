"""`compare` catches every kind of damage it reports, in whichever part it happens.

Each test damages one part of a faithful translation (every other part keeps its bytes)
and checks the exact difference or note: counts per story part, lost or added parts,
lost, added or changed paragraphs, and the formatting notes that do not make a report
unclean.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pytest
from lxml import etree

from iris.docx.text.pseudo import pseudo_targets
from iris.docx.verification.compare import FidelityReport, compare
from tests.docx.builders import (
    NAMESPACES,
    Part,
    make_docx,
    p,
    r,
    story,
    translate,
    units_by_id,
    xpath,
)
from tests.docx.test_inline_codes import NOTE_REF, NOTES

BLUE = '<w:color w:val="0000FF"/>'
LINK = '<w:hyperlink r:id="rIdLink">' + r("the site", BLUE) + "</w:hyperlink>"
CELL = "<w:tc>" + p(r("{}")) + "</w:tc>"
BODY = (
    p(r("A note") + NOTE_REF + r(" and a link to ") + LINK + r(" here."))
    + "<w:tbl><w:tr>"
    + CELL.format("Left cell")
    + CELL.format("Right cell")
    + "</w:tr></w:tbl>"
    + p(r("Plain, ") + r("bold", "<w:b/>") + r(" and plain again."))
)
HEADER = Part(
    "word/header1.xml",
    "header",
    story(
        "hdr",
        p(r("Page ") + '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'),
    ),
)

Edit = Callable[[etree._Element], None]


@pytest.fixture(scope="module")
def pair() -> tuple[bytes, bytes]:
    """A source and its faithful pseudo-translation."""
    source = make_docx(BODY, parts=[HEADER, NOTES], links={"rIdLink": "https://example.com"})
    target = translate(source, pseudo_targets(units_by_id(source).values()), "fr")
    return source, target


def _drop(path: str) -> Edit:
    def edit(root: etree._Element) -> None:
        (element,) = xpath(root, path)
        parent = element.getparent()
        assert parent is not None
        parent.remove(element)

    return edit


def _rezip(data: bytes, changes: dict[str, bytes | None]) -> bytes:
    """``data`` with some entries replaced (None: left out); the others are copied."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = changes.pop(info.filename, source.read(info))
            if content is not None:
                target.writestr(info, content)
        for name, content in changes.items():
            assert content is not None
            target.writestr(name, content)
    return out.getvalue()


def _damaged(target: bytes, part: str, edit: Edit) -> bytes:
    """The target with one XML part edited; every other part keeps its bytes."""
    with zipfile.ZipFile(io.BytesIO(target)) as archive:
        root = etree.fromstring(archive.read(part))
    edit(root)
    damaged = _rezip(target, {part: etree.tostring(root, xml_declaration=True, encoding="UTF-8")})
    assert _changed_parts(target, damaged) == {part}
    return damaged


def _changed_parts(first: bytes, second: bytes) -> set[str]:
    with zipfile.ZipFile(io.BytesIO(first)) as a, zipfile.ZipFile(io.BytesIO(second)) as b:
        names = set(a.namelist()) | set(b.namelist())
        return {
            name
            for name in names
            if name not in a.namelist() or name not in b.namelist() or a.read(name) != b.read(name)
        }


def _report(pair: tuple[bytes, bytes], part: str, edit: Edit) -> FidelityReport:
    source, target = pair
    return compare(source, _damaged(target, part, edit))


def test_the_undamaged_translation_is_exact(pair: tuple[bytes, bytes]) -> None:
    report = compare(*pair)
    assert report.exact, report.differences + report.formatting
    assert report.paragraphs_compared == 8  # 4 body, header, note, title, subject


def test_a_dropped_table(pair: tuple[bytes, bytes]) -> None:
    report = _report(pair, "word/document.xml", _drop("//w:tbl"))
    assert report.differences == [
        "word/document.xml: cells 2 → 0",
        "word/document.xml: paragraphs 4 → 2",
        "word/document.xml: rows 1 → 0",
        "word/document.xml: tables 1 → 0",
        "word/document.xml#p2: paragraph text is gone",
        "word/document.xml#p3: paragraph text is gone",
    ]
    # Paragraphs are matched by position: the last one now stands where the left cell was.
    assert report.formatting == ["word/document.xml#p1: formatting stretches 1 → 3"]


def test_a_dropped_footnote_reference(pair: tuple[bytes, bytes]) -> None:
    report = _report(pair, "word/document.xml", _drop("//w:r[w:footnoteReference]"))
    assert report.differences == [
        "word/document.xml: footnote references 1 → 0",
        "word/document.xml#p0: inline codes ('footnote-ref',) → ()",
    ]


def test_a_header_that_lost_its_field(pair: tuple[bytes, bytes]) -> None:
    report = _report(pair, "word/header1.xml", _drop("//w:fldSimple"))
    assert report.differences == [
        "word/header1.xml: fields 1 → 0",
        "word/header1.xml#p0: inline codes ('field PAGE',) → ()",
    ]
    assert report.target_counts["word/document.xml"] == report.source_counts["word/document.xml"]


def test_a_footnote_that_lost_its_text(pair: tuple[bytes, bytes]) -> None:
    report = _report(pair, "word/footnotes.xml", _drop("//w:footnote[@w:id='1']/w:p/w:r[w:t]"))
    assert report.differences == ["word/footnotes.xml#p1: paragraph text is gone"]


def test_a_paragraph_that_appeared(pair: tuple[bytes, bytes]) -> None:
    def add_paragraph(root: etree._Element) -> None:
        root.append(etree.fromstring(f"<w:p xmlns:w='{NAMESPACES['w']}'>{r('Extra.')}</w:p>"))

    report = _report(pair, "word/header1.xml", add_paragraph)
    assert report.differences == [
        "word/header1.xml: paragraphs 1 → 2",
        "word/header1.xml#p1: paragraph text appeared",
    ]


def test_a_dropped_hyperlink_is_a_difference(pair: tuple[bytes, bytes]) -> None:
    report = _report(pair, "word/document.xml", _drop("//w:hyperlink"))
    # A hyperlink is a paired tag, not a code: its loss shows in the counts.
    assert report.differences == ["word/document.xml: hyperlinks 1 → 0"]
    assert report.formatting == ["word/document.xml#p0: formatting stretches 3 → 1"]


def test_a_split_hyperlink_is_only_a_note(pair: tuple[bytes, bytes]) -> None:
    def split_link(root: etree._Element) -> None:
        (link,) = xpath(root, "//w:hyperlink")
        link.addnext(etree.fromstring(etree.tostring(link)))

    report = _report(pair, "word/document.xml", split_link)
    assert report.clean
    assert report.formatting == [
        "word/document.xml: hyperlinks 1 → 2",
        "word/document.xml#p0: formatting stretches 3 → 4",
    ]


def test_lost_bold_is_only_a_note(pair: tuple[bytes, bytes]) -> None:
    report = _report(pair, "word/document.xml", _drop("(//w:body/w:p)[last()]//w:b"))
    assert report.clean
    assert report.formatting == ["word/document.xml#p3: formatting stretches 3 → 1"]


def test_a_lost_document_property(pair: tuple[bytes, bytes]) -> None:
    report = _report(pair, "docProps/core.xml", _drop("//dc:title"))
    assert report.differences == ["docProps/core.xml#title: paragraph text is gone"]


def test_a_missing_and_an_added_part(pair: tuple[bytes, bytes]) -> None:
    source, target = pair
    changed = _rezip(target, {"word/footnotes.xml": None, "word/extra.xml": b"<x/>"})
    assert compare(source, changed).differences == [
        "part word/footnotes.xml is missing from the translation",
        "part word/extra.xml was added by the translation",
        "story part word/footnotes.xml is not a story in the translation",
        "word/footnotes.xml#p1: paragraph text is gone",
    ]
