"""The bilingual DOCX review format: what `write_bilingual` writes, `read_bilingual` reads
back, also after a reviewer's edits (made here on the document XML with lxml, as Word
would save them) and after LibreOffice opens and saves the file."""

from __future__ import annotations

import io
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from lxml import etree

from iris.docx import open_document
from iris.docx.writing.schema_order import PPR_ORDER, RPR_ORDER, SECTPR_ORDER, TBLPR_ORDER
from iris.review.bilingual import COLUMNS, read_bilingual, write_bilingual
from iris.review.package import (
    Note,
    PackageError,
    ReadPackage,
    ReviewPackage,
    ReviewState,
    ReviewUnit,
    target_fingerprint,
)
from tests.formats.conftest import require_soffice

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
DOCUMENT = "word/document.xml"
ID, SOURCE, TARGET, STATUS, COMMENTS = range(5)


def w(local: str) -> str:
    return f"{{{W}}}{local}"


def unit(key: int, target: str, **fields: object) -> ReviewUnit:
    values: dict[str, object] = {
        "name": f"word/document.xml#p{key}.s1",
        "source": "Source text",
        "state": ReviewState.TRANSLATED,
    }
    values.update(fields)
    return ReviewUnit(key=key, target=target, **values)  # type: ignore[arg-type]


def package(*units: ReviewUnit, target_lang: str = "fr") -> ReviewPackage:
    return ReviewPackage(
        job="7d1c2a52-0a6e-4a0b-9a51-1f1f4b6c3e10",
        package="c0ffee00-1111-4222-8333-444455556666",
        source_lang="en",
        target_lang=target_lang,
        original="Quarterly report.docx",
        units=list(units),
    )


FRENCH = package(
    unit(
        1,
        "Bonjour <g1>gras</g1> monde<x2/>",
        source="Hello <g1>bold</g1> world<x2/>",
        notes=(
            Note("qa", "number 12 missing", 1),
            Note("qa", "double space"),
            Note("tm", "92% match"),
        ),
        comment="Check the tone.\n\nSecond paragraph",
    ),
    unit(2, "<g1><g2>imbriqué</g2> et <x3/>fin</g1>", state=ReviewState.REVIEWED),
    unit(3, "<x1/>bords<g2></g2>", state=ReviewState.FINAL),
    unit(4, "A &amp; B &lt; C &gt; D\tcolonne\nligne deux", state=ReviewState.INITIAL),
    unit(5, "", comment="empty target"),
    unit(10, "  espaces  au bord  "),
)
JAPANESE = package(
    unit(1, "<g1>東京</g1>は日本の<x2/>首都です。", notes=(Note("term", "東京 → Tokyo"),)),
    unit(2, "中文\t<g1>字</g1>"),
    target_lang="ja",
)
ARABIC = package(
    unit(1, "مرحبا <g1>بالعالم</g1><x2/>", comment="تعليق"),
    unit(2, "\u200e<g1>\u200eنص\u200e</g1>\u200e", state=ReviewState.REVIEWED),
    unit(3, "سطر\nسطر <x1/> &amp; &lt;"),
    target_lang="ar",
)


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def document_xml(data: bytes) -> etree._Element:
    return etree.fromstring(parts(data)[DOCUMENT])


def rewrite(data: bytes, change: Callable[[etree._Element], None], part: str = DOCUMENT) -> bytes:
    """The package with ``part`` parsed, changed by ``change`` and written back."""
    contents = parts(data)
    root = etree.fromstring(contents[part])
    change(root)
    contents[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return repack(contents)


def repack(contents: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in contents.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def one(element: etree._Element, path: str) -> etree._Element:
    found = element.find(path, NS)
    assert found is not None, f"no {path}"
    return found


def text_of(element: etree._Element) -> str:
    return "".join(str(text) for text in element.itertext())


def value(element: etree._Element, path: str, attribute: str = "val") -> str | None:
    return one(element, path).get(w(attribute))


def detach(element: etree._Element) -> None:
    parent = element.getparent()
    assert parent is not None
    parent.remove(element)


def cell(root: etree._Element, row: int, column: int) -> etree._Element:
    """Cell ``column`` of table row ``row`` (0 is the header, 1 the first unit)."""
    table = one(root, ".//w:tbl")
    return table.findall("w:tr", NS)[row].findall("w:tc", NS)[column]


def text_run(scope: etree._Element, text: str) -> etree._Element:
    """The run of ``scope`` whose text is ``text`` (a marker's LEFT-TO-RIGHT MARKs aside)."""
    for run in scope.iter(w("r")):
        if "".join(t.text or "" for t in run.iter(w("t"))).strip("\u200e") == text:
            return run
    raise AssertionError(f"no run holds {text!r}")


def set_text(run: etree._Element, text: str) -> None:
    one(run, "w:t").text = text


def control_of(run: etree._Element) -> etree._Element:
    """The content control around a marker run."""
    content = run.getparent()
    control = content.getparent() if content is not None else None
    assert control is not None
    assert control.tag == w("sdt")
    return control


def control_texts(data: bytes) -> list[list[str]]:
    """For each unit row, the text of each content control of the target cell."""
    table = one(document_xml(data), ".//w:tbl")
    return [
        [
            text_of(control).replace("\u200e", "")
            for control in row.findall("w:tc", NS)[TARGET].iter(w("sdt"))
        ]
        for row in table.findall("w:tr", NS)[1:]
    ]


def make_run(text: str, tag: str = "t") -> etree._Element:
    run = etree.Element(w("r"))
    element = etree.SubElement(run, w(tag))
    element.text = text
    element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def revision(kind: str, *runs: etree._Element) -> etree._Element:
    element = etree.Element(w(kind))
    element.set(w("id"), "901")
    element.set(w("author"), "Reviewer")
    element.set(w("date"), "2026-11-30T10:00:00Z")
    element.extend(runs)
    return element


def assert_round_trip(
    review: ReviewPackage, data: bytes, edits: dict[int, str] | None = None
) -> None:
    """``data`` reads back as ``review``, with the targets in ``edits`` (by key) changed."""
    edits = edits or {}
    read = read_bilingual(data)
    assert (read.job, read.package) == (review.job, review.package)
    assert (read.source_lang, read.target_lang) == (review.source_lang, review.target_lang)
    got = [
        (u.key, u.raw_id, u.target, u.state, u.base, u.base_state, u.comment, u.problem)
        for u in read.units
    ]
    want = [
        (u.key, f"s{u.key}", edits.get(u.key, u.target), u.state, u.base, u.state, u.comment, None)
        for u in review.units
    ]
    assert [u.notices for u in read.units] == [() for _ in review.units]
    assert got == want


# --- round trip -------------------------------------------------------------------------


@pytest.mark.parametrize("review", [FRENCH, JAPANESE, ARABIC], ids=["fr", "ja", "ar"])
def test_write_then_read_gives_back_every_unit(review: ReviewPackage) -> None:
    assert_round_trip(review, write_bilingual(review))


def test_the_same_package_gives_the_same_bytes() -> None:
    assert write_bilingual(FRENCH) == write_bilingual(FRENCH)


def test_the_package_holds_the_minimal_wordprocessingml_parts() -> None:
    assert set(parts(write_bilingual(FRENCH))) == {
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/styles.xml",
        "word/_rels/document.xml.rels",
        "docProps/core.xml",
    }


def test_python_docx_opens_it_and_sees_the_table_and_styles() -> None:
    document = docx.Document(io.BytesIO(write_bilingual(FRENCH)))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == list(COLUMNS)
    assert [r.cells[0].paragraphs[0].text for r in table.rows[1:]] == [
        "s1",
        "s2",
        "s3",
        "s4",
        "s5",
        "s10",
    ]
    assert table.rows[1].cells[STATUS].text == "translated"
    assert {"Iris Tag", "Iris Note"} <= {style.name for style in document.styles}
    assert document.core_properties.title == "Review: Quarterly report.docx"
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE


def test_iris_opens_it_as_a_document_to_translate() -> None:
    units = open_document(write_bilingual(JAPANESE)).units()
    plains = [u.plain for u in units]
    assert "Review: Quarterly report.docx" in plains
    assert any("首都です" in plain for plain in plains)


def test_header_line_is_in_the_text_and_in_the_core_properties() -> None:
    data = write_bilingual(FRENCH)
    line = f"Iris review package · job {FRENCH.job} · package {FRENCH.package}"
    assert line in [text_of(p) for p in document_xml(data).iter(w("p"))]
    core = etree.fromstring(parts(data)["docProps/core.xml"])
    assert core.findtext("{http://purl.org/dc/elements/1.1/}identifier") == line


# --- layout -----------------------------------------------------------------------------


def test_markers_are_styled_runs_in_locked_content_controls() -> None:
    root = document_xml(write_bilingual(FRENCH))
    controls = list(cell(root, 1, TARGET).iter(w("sdt")))
    assert [text_of(control) for control in controls] == ["⟨g1⟩", "⟨/g1⟩", "⟨x2/⟩"]
    for control in controls:
        assert value(control, "w:sdtPr/w:lock") == "contentLocked"
        runs = control.findall("w:sdtContent/w:r", NS)
        assert [value(run, "w:rPr/w:rStyle") for run in runs] == ["IrisTag"]
    ids = [value(control, "w:sdtPr/w:id") for control in root.iter(w("sdt"))]
    assert len(ids) == len(set(ids))


def test_adjacent_markers_share_one_control_one_run_each() -> None:
    target = cell(document_xml(write_bilingual(FRENCH)), 2, TARGET)
    texts = [[text_of(run) for run in control.iter(w("r"))] for control in target.iter(w("sdt"))]
    assert texts == [["⟨g1⟩", "⟨g2⟩"], ["⟨/g2⟩"], ["⟨x3/⟩"], ["⟨/g1⟩"]]


@pytest.mark.parametrize(
    ("part", "properties", "order"),
    [
        (DOCUMENT, "rPr", RPR_ORDER),
        (DOCUMENT, "pPr", PPR_ORDER),
        (DOCUMENT, "tblPr", TBLPR_ORDER),
        (DOCUMENT, "sectPr", SECTPR_ORDER),
        ("word/styles.xml", "rPr", RPR_ORDER),
    ],
)
def test_property_elements_follow_the_schema_order(
    part: str, properties: str, order: tuple[str, ...]
) -> None:
    """Word repairs (or refuses) a document whose properties are out of order."""
    root = etree.fromstring(parts(write_bilingual(ARABIC))[part])
    found = list(root.iter(w(properties)))
    assert found
    for element in found:
        names = [etree.QName(child).localname for child in element]
        assert names == sorted(names, key=order.index), names


def test_header_row_repeats_and_the_page_is_a4_landscape() -> None:
    root = document_xml(write_bilingual(FRENCH))
    assert one(root, ".//w:tbl/w:tr").find("w:trPr/w:tblHeader", NS) is not None
    size = one(root, "w:body/w:sectPr/w:pgSz")
    assert [size.get(w(name)) for name in ("w", "h", "orient")] == ["16838", "11906", "landscape"]


def test_arabic_target_runs_right_to_left_with_its_language() -> None:
    root = document_xml(write_bilingual(ARABIC))
    target = cell(root, 1, TARGET)
    assert target.find("w:p/w:pPr/w:bidi", NS) is not None
    for text in ("مرحبا ", "بالعالم"):
        run = text_run(target, text)
        assert run.find("w:rPr/w:rtl", NS) is not None
        assert value(run, "w:rPr/w:lang", "bidi") == "ar"
    # the marker is laid out left to right between two LEFT-TO-RIGHT MARKs
    assert one(text_run(target, "⟨g1⟩"), "w:t").text == "\u200e⟨g1⟩\u200e"
    source = cell(root, 1, SOURCE)
    assert source.find("w:p/w:pPr/w:bidi", NS) is None
    assert value(text_run(source, "Source text"), "w:rPr/w:lang") == "en"


def test_east_asian_target_runs_carry_their_east_asian_language() -> None:
    target = cell(document_xml(write_bilingual(JAPANESE)), 1, TARGET)
    assert value(text_run(target, "東京"), "w:rPr/w:lang", "eastAsia") == "ja"


def test_id_cell_shows_the_unit_name_and_hides_the_base() -> None:
    id_cell = cell(document_xml(write_bilingual(FRENCH)), 1, ID)
    first, second = id_cell.findall("w:p", NS)
    assert text_of(first) == "s1"
    name, base = second.findall("w:r", NS)
    assert text_of(name) == "word/document.xml#p1.s1"
    fingerprint = target_fingerprint(FRENCH.units[0].target)
    assert text_of(base) == f" base={fingerprint} state=translated"
    assert base.find("w:rPr/w:vanish", NS) is not None


def test_comments_cell_has_the_comment_then_each_note_as_an_iris_note() -> None:
    paragraphs = cell(document_xml(write_bilingual(FRENCH)), 1, COMMENTS).findall("w:p", NS)
    assert [text_of(p) for p in paragraphs] == [
        "Check the tone.",
        "",
        "Second paragraph",
        "[Iris] qa error: number 12 missing",
        "[Iris] qa warning: double space",
        "[Iris] tm: 92% match",
    ]
    styles = [p.find("w:pPr/w:pStyle", NS) for p in paragraphs]
    names = [style.get(w("val")) if style is not None else None for style in styles]
    assert names == [None, None, None, "IrisNote", "IrisNote", "IrisNote"]


def test_tabs_and_line_breaks_are_word_tabs_and_breaks() -> None:
    run = one(cell(document_xml(write_bilingual(FRENCH)), 4, TARGET), "w:p/w:r")
    assert [etree.QName(child).localname for child in run] == ["rPr", "t", "tab", "t", "br", "t"]
    assert one(run, "w:t").text == "A & B < C > D"


# --- a reviewer's edits -----------------------------------------------------------------


def edited(change: Callable[[etree._Element], None], review: ReviewPackage = FRENCH) -> ReadPackage:
    return read_bilingual(rewrite(write_bilingual(review), change))


def test_changed_target_text_is_read_escaped() -> None:
    def change(root: etree._Element) -> None:
        set_text(text_run(cell(root, 1, TARGET), "gras"), "épais & <gras>")

    first = edited(change).units[0]
    assert first.target == "Bonjour <g1>épais &amp; &lt;gras&gt;</g1> monde<x2/>"
    assert first.problem is None
    assert first.base == target_fingerprint(FRENCH.units[0].target)


def test_moved_marker_moves_its_tag() -> None:
    def change(root: etree._Element) -> None:
        target = cell(root, 1, TARGET)
        text_run(target, " monde").addnext(control_of(text_run(target, "⟨/g1⟩")))

    assert edited(change).units[0].target == "Bonjour <g1>gras monde</g1><x2/>"


def test_marker_run_moved_out_of_a_shared_control_moves_its_tag() -> None:
    def change(root: etree._Element) -> None:
        target = cell(root, 2, TARGET)
        text_run(target, "imbriqué").addprevious(make_run("très "))
        text_run(target, "imbriqué").addprevious(text_run(target, "⟨g2⟩"))

    second = edited(change).units[1]
    assert second.target == "<g1>très <g2>imbriqué</g2> et <x3/>fin</g1>"


def test_deleted_marker_drops_its_tag() -> None:
    def change(root: etree._Element) -> None:
        detach(control_of(text_run(cell(root, 1, TARGET), "⟨x2/⟩")))

    first = edited(change).units[0]
    assert (first.target, first.problem) == ("Bonjour <g1>gras</g1> monde", None)


def test_tracked_insertion_is_kept_and_tracked_deletion_dropped() -> None:
    def change(root: etree._Element) -> None:
        target = cell(root, 1, TARGET)
        text_run(target, "Bonjour ").addnext(revision("ins", make_run("très ")))
        deleted = text_run(target, " monde")
        one(deleted, "w:t").tag = w("delText")
        deleted.addprevious(revision("del"))
        wrapper = deleted.getprevious()
        assert wrapper is not None
        wrapper.append(deleted)

    assert edited(change).units[0].target == "Bonjour très <g1>gras</g1><x2/>"


def test_tracked_deletion_of_a_marker_drops_its_tag() -> None:
    def change(root: etree._Element) -> None:
        run = text_run(cell(root, 1, TARGET), "⟨x2/⟩")
        one(run, "w:t").tag = w("delText")
        run.addprevious(revision("del"))
        wrapper = run.getprevious()
        assert wrapper is not None
        wrapper.append(run)

    assert edited(change).units[0].target == "Bonjour <g1>gras</g1> monde"


def test_deleted_paragraph_mark_joins_the_paragraphs() -> None:
    def change(root: etree._Element) -> None:
        paragraph = one(cell(root, 1, TARGET), "w:p")
        added = etree.Element(w("p"))
        mark = etree.SubElement(etree.SubElement(added, w("pPr")), w("rPr"))
        mark.append(revision("del"))
        added.append(make_run("Oui. "))
        paragraph.addprevious(added)
        last = etree.Element(w("p"))
        last.append(make_run("Fin"))
        paragraph.addnext(last)

    first = edited(change).units[0]
    # the deleted mark joins "Oui. " to the next paragraph; "Fin" stays a paragraph of
    # its own, which a segment cannot hold: joined with a space, and said so
    assert first.target == "Oui. Bonjour <g1>gras</g1> monde<x2/> Fin"
    assert [notice.code for notice in first.notices] == ["paragraphs_joined"]


def test_text_in_hyperlinks_and_smart_tags_is_read() -> None:
    def change(root: etree._Element) -> None:
        control = control_of(text_run(cell(root, 2, TARGET), "⟨x3/⟩"))
        link = etree.Element(w("hyperlink"))
        link.append(make_run("lien"))
        smart = etree.Element(w("smartTag"))
        smart.append(make_run("!"))
        control.addnext(link)
        link.addnext(smart)

    assert edited(change).units[1].target == "<g1><g2>imbriqué</g2> et <x3/>lien!fin</g1>"


def test_status_is_read_case_insensitively() -> None:
    def change(root: etree._Element) -> None:
        set_text(text_run(cell(root, 1, STATUS), "translated"), " Reviewed ")

    assert edited(change).units[0].state == ReviewState.REVIEWED


def test_reviewer_comment_is_read_and_notes_are_not() -> None:
    def change(root: etree._Element) -> None:
        comments = cell(root, 1, COMMENTS)
        set_text(text_run(comments, "Check the tone."), "Use “vous”.")
        comments.findall("w:p", NS)[-1].append(make_run(" (typed into a note)"))

    assert edited(change).units[0].comment == "Use “vous”.\n\nSecond paragraph"


def test_new_comment_in_an_empty_comments_cell() -> None:
    def change(root: etree._Element) -> None:
        one(cell(root, 2, COMMENTS), "w:p").append(make_run("Looks good"))

    assert edited(change).units[1].comment == "Looks good"


# --- problems and refusals --------------------------------------------------------------


@pytest.mark.parametrize(
    ("damage", "fragment"),
    [("⟨g1", "'⟨g1'"), ("⟨q3⟩", "'⟨q3⟩'"), ("⟨g01⟩", "'⟨g01⟩'"), ("g1⟩", "'g1⟩'")],
)
def test_broken_marker_is_a_problem_naming_it(damage: str, fragment: str) -> None:
    def change(root: etree._Element) -> None:
        set_text(text_run(cell(root, 1, TARGET), "⟨g1⟩"), damage)

    first = edited(change).units[0]
    assert first.problem is not None
    assert fragment in first.problem
    assert first.target is not None


def test_broken_marker_in_arabic_target_is_a_problem() -> None:
    def change(root: etree._Element) -> None:
        set_text(text_run(cell(root, 1, TARGET), "⟨x2/⟩"), "\u200e⟨x2\u200e")

    problem = edited(change, ARABIC).units[0].problem
    assert problem is not None
    assert "'⟨x2'" in problem


def test_unknown_status_is_a_problem_and_empty_status_is_none() -> None:
    def change(root: etree._Element) -> None:
        set_text(text_run(cell(root, 1, STATUS), "translated"), "done")
        set_text(text_run(cell(root, 2, STATUS), "reviewed"), "")

    first, second = edited(change).units[:2]
    assert first.state is None
    assert first.problem is not None
    assert "'done'" in first.problem
    assert (second.state, second.problem) == (None, None)


def test_row_without_target_cell_and_a_foreign_id() -> None:
    def change(root: etree._Element) -> None:
        for extra in one(root, ".//w:tbl").findall("w:tr", NS)[1].findall("w:tc", NS)[1:]:
            detach(extra)
        set_text(text_run(cell(root, 2, ID), "s2"), "seg-2")

    first, second = edited(change).units[:2]
    assert (first.key, first.target, first.state, first.comment) == (1, None, None, "")
    assert (second.key, second.raw_id) == (None, "seg-2")


def test_blank_rows_and_rows_deleted_with_tracked_changes_are_skipped() -> None:
    def change(root: etree._Element) -> None:
        rows = one(root, ".//w:tbl").findall("w:tr", NS)
        properties = etree.Element(w("trPr"))
        properties.append(revision("del"))
        rows[1].insert(0, properties)
        blank = etree.fromstring(etree.tostring(rows[2]))
        for text in blank.iter(w("t")):
            text.text = ""
        rows[-1].addnext(blank)

    read = edited(change)
    assert [unit.key for unit in read.units] == [2, 3, 4, 5, 10]


def test_strict_open_xml_is_read() -> None:
    contents = parts(write_bilingual(FRENCH))
    strict = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
    contents[DOCUMENT] = contents[DOCUMENT].replace(W.encode(), strict)
    assert_round_trip(FRENCH, repack(contents))


def test_header_only_in_core_properties_is_enough() -> None:
    def change(root: etree._Element) -> None:
        for paragraph in root.findall("w:body/w:p", NS):
            detach(paragraph)

    read = edited(change)
    assert (read.job, read.package, read.target_lang) == (FRENCH.job, FRENCH.package, "fr")


def test_not_a_docx_is_refused() -> None:
    with pytest.raises(PackageError, match="not a bilingual review document"):
        read_bilingual(b"PK\x03\x04 this is not a zip")
    with pytest.raises(PackageError):
        read_bilingual(b"Hello")


def test_unsafe_package_is_refused() -> None:
    data = write_bilingual(FRENCH)
    contents = parts(data)
    document = contents[DOCUMENT].decode()
    head, root = document.split("?>", 1)
    contents[DOCUMENT] = f'{head}?><!DOCTYPE w:document [<!ENTITY x "x">]>{root}'.encode()
    with pytest.raises(PackageError, match="declares a DTD"):
        read_bilingual(repack(contents))


def test_docx_without_the_iris_header_is_refused() -> None:
    document = docx.Document()
    document.add_paragraph("Some document")
    document.add_table(rows=2, cols=5)
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(PackageError, match="no 'Iris review package' header"):
        read_bilingual(buffer.getvalue())


def test_docx_whose_table_lacks_the_header_row_is_refused() -> None:
    def change(root: etree._Element) -> None:
        set_text(text_run(cell(root, 0, TARGET), "Target"), "Translation")

    with pytest.raises(PackageError, match="no review table"):
        edited(change)


# --- LibreOffice ------------------------------------------------------------------------


@pytest.mark.libreoffice
def test_libreoffice_save_keeps_keys_targets_states_comments_base_and_controls(
    tmp_path: Path,
) -> None:
    edits = {
        "fr": (FRENCH, "gras", "très gras"),
        "ja": (JAPANESE, "東京", "東京都"),
        "ar": (ARABIC, "بالعالم", "بالعالم كله"),
    }
    folder = tmp_path / "in"
    folder.mkdir()
    for name, (review, old, new) in edits.items():

        def change(root: etree._Element, old: str = old, new: str = new) -> None:
            set_text(text_run(cell(root, 1, TARGET), old), new)

        (folder / f"{name}.docx").write_bytes(rewrite(write_bilingual(review), change))
    command = [require_soffice(), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"]
    command += ["--headless", "--convert-to", "docx", "--outdir", str(tmp_path / "out")]
    command += [str(folder / f"{name}.docx") for name in edits]
    subprocess.run(command, capture_output=True, timeout=120, check=True)

    for name, (review, old, new) in edits.items():
        given = (folder / f"{name}.docx").read_bytes()
        saved = (tmp_path / "out" / f"{name}.docx").read_bytes()
        assert "docProps/app.xml" in parts(saved)  # written by LibreOffice, not by Iris
        first = review.units[0]
        assert_round_trip(review, saved, {first.key: first.target.replace(old, new)})
        # every marker is still in its own content control (their properties are not)
        assert control_texts(saved) == control_texts(given)
