"""The bilingual DOCX review format: a Word table a reviewer edits in Word or LibreOffice.

`write_bilingual` writes a small WordprocessingML package (lxml + zipfile, no
python-docx): a header (title, languages and the line ``Iris review package · job J ·
package P``, which is also in the core properties as ``dc:identifier`` and
``cp:keywords``), instructions, and one table with the columns ID, Source, Target,
Status and Comments, one row per unit, on an A4 landscape page whose header row repeats.

Inline tags are shown as markers ``⟨g1⟩``…``⟨/g1⟩`` and ``⟨x2/⟩``, each one run in the
character style "Iris Tag", inside an inline rich text content control locked with
``contentLocked``: Word refuses to edit a marker's text but lets the reviewer move or
delete it. Adjacent markers (``⟨/g1⟩⟨x2/⟩``) share one control, and in a right-to-left
cell each marker sits between two LEFT-TO-RIGHT MARKs; both because of LibreOffice 7.4
(see `_markers`). LibreOffice keeps the controls but drops their properties, so after a
LibreOffice save Word no longer locks the markers; nothing else is lost.

The reader does not depend on the controls: it recognises markers by their exact text,
so markers survive an editor that drops the controls, and a literal ``⟨`` or ``⟩`` in a
segment's text reads back as a broken marker (a problem for the importer to report).

Word cannot lock one table cell without protecting the whole document, so the Source
column stays editable; the reader never looks at it (the instructions say so).

The fingerprint of the exported target (``ReviewUnit.base``) and the state the export
wrote are a hidden (``w:vanish``) run `` base=… state=…`` in the ID cell's second
paragraph, after the document unit name. Hidden
text is plain character formatting, which Word and LibreOffice keep on every save,
while a content control's ``w:tag`` is dropped by LibreOffice 7.4; and the reviewer
neither sees it nor types over it by accident.

`read_bilingual` accepts the reviewer's tracked changes (insertions kept, deletions
dropped, rows deleted with tracking skipped) and skips rows without any text.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass

from lxml import etree

from iris.docx import DocxError, escape_text, open_package, scan, tag_text
from iris.review.package import (
    Note,
    PackageError,
    ReadNotice,
    ReadPackage,
    ReadUnit,
    ReviewPackage,
    ReviewState,
    ReviewUnit,
    review_state,
    unit_key,
    unit_name,
)

__all__ = ["COLUMNS", "NOTE_PREFIX", "read_bilingual", "write_bilingual"]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
PR_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CP_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC_NS = "http://purl.org/dc/elements/1.1/"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CORE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"

COLUMNS = ("ID", "Source", "Target", "Status", "Comments")
NOTE_PREFIX = "[Iris] "
OPEN, CLOSE = "\u27e8", "\u27e9"  # ⟨ ⟩: mathematical angle brackets, rare in real text

_HEADER_LINE = "Iris review package · job {job} · package {package}"
_HEADER_RE = re.compile(r"Iris review package · job (\S+) · package (\S+)")
_LANGUAGES_LINE = "Languages: {source} → {target}"
_LANGUAGES_RE = re.compile(r"Languages: (\S+) → (\S+)")
_BASE_RE = re.compile(r"base=([0-9a-f]{16})")
_BASE_STATE_RE = re.compile(r"state=([a-z]+)")
_XML_SPACE_CHARS = " \t\r\n"
_MARKER = r"⟨g([1-9][0-9]*)⟩|⟨/g([1-9][0-9]*)⟩|⟨x([1-9][0-9]*)/⟩"
_MARKER_RE = re.compile(_MARKER)
# In a right-to-left cell each marker is written between two LEFT-TO-RIGHT MARKs, so that
# its brackets and slash are laid out left to right (not mirrored, not reordered); the
# reader takes one mark on each side as part of the marker.
LRM = "\u200e"
_RTL_MARKER_RE = re.compile(f"{LRM}?(?:{_MARKER}){LRM}?")
# What is left of a damaged marker: a bracket with what looks like the rest of a marker
# around it (``⟨g1``, ``⟨q3⟩``, ``g1⟩``, ``⟨g01⟩``).
_BROKEN_RE = re.compile(r"⟨/?(?:[^\W\d_]\d*)?/?⟩?|/?(?:[^\W\d_]\d*)?/?⟩")
_XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_RTL = frozenset({"ar", "he", "fa", "ur", "ps", "yi", "dv", "sd", "ug", "ckb"})
_EAST_ASIAN = frozenset({"zh", "ja", "ko"})

# A4 landscape in twentieths of a point, 1.5 cm margins; the columns fill the width.
_PAGE_W, _PAGE_H, _MARGIN = 16838, 11906, 850
_WIDTHS = (2300, 4600, 4600, 1250, 2388)
_GREY = "808080"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the same package gives the same bytes


# --- writing --------------------------------------------------------------------------


def write_bilingual(package: ReviewPackage) -> bytes:
    """The review package as a bilingual .docx (bytes).

    Raises `iris.docx.errors.TagError` when a unit's source or target is not valid
    tagged text.
    """
    parts = {
        "[Content_Types].xml": _content_types(),
        "_rels/.rels": _relationships(
            ("rId1", f"{_REL}/officeDocument", "word/document.xml"),
            ("rId2", _CORE_REL, "docProps/core.xml"),
        ),
        "word/document.xml": _serialise(_document(package)),
        "word/styles.xml": _serialise(_styles()),
        "word/_rels/document.xml.rels": _relationships(
            ("rId1", f"{_REL}/styles", "styles.xml"),
        ),
        "docProps/core.xml": _serialise(_core_properties(package)),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(zipfile.ZipInfo(name, _FIXED_TIME), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _w(tag: str, *children: etree._Element, **attributes: str) -> etree._Element:
    element = etree.Element(f"{{{W_NS}}}{tag}", nsmap={"w": W_NS})
    for name, value in attributes.items():
        element.set(f"{{{W_NS}}}{name}", value)
    element.extend(children)
    return element


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _content_types() -> bytes:
    types = _empty_root("Types", CT_NS)
    defaults = {"rels": "application/vnd.openxmlformats-package.relationships+xml"}
    defaults["xml"] = "application/xml"
    for extension, content_type in defaults.items():
        etree.SubElement(
            types, f"{{{CT_NS}}}Default", Extension=extension, ContentType=content_type
        )
    office = "application/vnd.openxmlformats-officedocument"
    overrides = {
        "/word/document.xml": f"{office}.wordprocessingml.document.main+xml",
        "/word/styles.xml": f"{office}.wordprocessingml.styles+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
    }
    for part, content_type in overrides.items():
        etree.SubElement(types, f"{{{CT_NS}}}Override", PartName=part, ContentType=content_type)
    return _serialise(types)


def _empty_root(local: str, namespace: str) -> etree._Element:
    """A root element whose namespace is the default one, as OPC parts are written."""
    return etree.fromstring(f'<{local} xmlns="{namespace}"/>')


def _relationships(*relationships: tuple[str, str, str]) -> bytes:
    root = _empty_root("Relationships", PR_NS)
    for rel_id, rel_type, target in relationships:
        etree.SubElement(root, f"{{{PR_NS}}}Relationship", Id=rel_id, Type=rel_type, Target=target)
    return _serialise(root)


def _core_properties(package: ReviewPackage) -> etree._Element:
    root = etree.Element(f"{{{CP_NS}}}coreProperties", nsmap={"cp": CP_NS, "dc": DC_NS})
    values = (
        (DC_NS, "title", f"Review: {package.original}"),
        (DC_NS, "identifier", _header_line(package)),
        (CP_NS, "keywords", _header_line(package)),
        (DC_NS, "language", package.target_lang),
        (DC_NS, "description", _languages_line(package)),
    )
    for namespace, name, text in values:
        etree.SubElement(root, f"{{{namespace}}}{name}").text = _xml_safe(text)
    return root


def _header_line(package: ReviewPackage) -> str:
    return _HEADER_LINE.format(job=package.job, package=package.package)


def _languages_line(package: ReviewPackage) -> str:
    return _LANGUAGES_LINE.format(source=package.source_lang, target=package.target_lang)


def _xml_safe(text: str) -> str:
    """Characters XML cannot carry (control characters) become U+FFFD."""
    return _XML_INVALID_RE.sub("\ufffd", text)


def _document(package: ReviewPackage) -> etree._Element:
    body = _w("body")
    body.extend(_header_paragraphs(package))
    body.append(_table(package))
    body.append(_w("p"))  # Word requires a paragraph between a table and the section end
    body.append(_section())
    document = _w("document", body)
    _number_controls(document)
    return document


def _header_paragraphs(package: ReviewPackage) -> list[etree._Element]:
    instructions = (
        "Edit the Target, Status and Comments columns only; the Source column is not "
        "read back. Keep every tag marker (⟨g1⟩…⟨/g1⟩ around formatted text, ⟨x2/⟩ for "
        "a break, image or field): move it with its text, never retype it. Status is one "
        "of translated, reviewed, final. Lines starting with [Iris] are notes from Iris "
        "and are not read back; write your comments above them."
    )
    return [
        _paragraph([_run(f"Review: {package.original}")], style="IrisTitle"),
        _paragraph([_run(_languages_line(package))]),
        _paragraph([_run(_header_line(package))]),
        _paragraph([_run(instructions)], style="IrisNote"),
    ]


def _section() -> etree._Element:
    margins = {side: str(_MARGIN) for side in ("top", "right", "bottom", "left")}
    return _w(
        "sectPr",
        _w("pgSz", w=str(_PAGE_W), h=str(_PAGE_H), orient="landscape"),
        _w("pgMar", header="567", footer="567", gutter="0", **margins),
    )


def _table(package: ReviewPackage) -> etree._Element:
    borders = _w("tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_w(side, val="single", sz="4", space="0", color="A0A0A0"))
    properties = _w(
        "tblPr",
        _w("tblW", w=str(sum(_WIDTHS)), type="dxa"),
        borders,
        _w("tblLayout", type="fixed"),
        _w("tblLook", val="0420", firstRow="1", lastRow="0", firstColumn="0", lastColumn="0"),
    )
    grid = _w("tblGrid", *(_w("gridCol", w=str(width)) for width in _WIDTHS))
    table = _w("tbl", properties, grid, _header_row())
    for unit in package.units:
        table.append(_unit_row(unit, package))
    return table


def _header_row() -> etree._Element:
    row = _w("tr", _w("trPr", _w("cantSplit"), _w("tblHeader")))
    for width, title in zip(_WIDTHS, COLUMNS, strict=True):
        paragraph = _paragraph([_run(title, _w("b"))])
        row.append(_cell(width, [paragraph], shade="D9D9D9"))
    return row


def _cell(width: int, paragraphs: list[etree._Element], shade: str = "") -> etree._Element:
    properties = _w("tcPr", _w("tcW", w=str(width), type="dxa"))
    if shade:
        properties.append(_w("shd", val="clear", color="auto", fill=shade))
    return _w("tc", properties, *paragraphs)


def _paragraph(content: list[etree._Element], style: str = "", rtl: bool = False) -> etree._Element:
    properties = _w("pPr")
    if style:
        properties.append(_w("pStyle", val=style))
    if rtl:
        properties.append(_w("bidi"))
    paragraph = _w("p", properties) if len(properties) else _w("p")
    paragraph.extend(content)
    return paragraph


def _run(text: str, *properties: etree._Element) -> etree._Element:
    """A run of literal text; tabs and line breaks become ``w:tab`` and ``w:br``."""
    # Copies: an lxml element has one parent, and the same properties serve many runs.
    copies = [deepcopy(element) for element in properties]
    run = _w("r", _w("rPr", *copies)) if copies else _w("r")
    for index, line in enumerate(_xml_safe(text).split("\n")):
        if index:
            run.append(_w("br"))
        for position, piece in enumerate(line.split("\t")):
            if position:
                run.append(_w("tab"))
            if piece:
                run.append(_text(piece))
    return run


def _text(text: str) -> etree._Element:
    element = _w("t")
    element.text = text
    if text != text.strip() or "  " in text:
        element.set(XML_SPACE, "preserve")
    return element


def _unit_row(unit: ReviewUnit, package: ReviewPackage) -> etree._Element:
    cells = (
        _id_paragraphs(unit),
        _tagged_paragraphs(unit.source, package.source_lang),
        _tagged_paragraphs(unit.target, package.target_lang),
        [_paragraph([_run(unit.state.value)])],
        _comment_paragraphs(unit.comment, unit.notes),
    )
    row = _w("tr")
    for width, paragraphs in zip(_WIDTHS, cells, strict=True):
        row.append(_cell(width, paragraphs))
    return row


def _id_paragraphs(unit: ReviewUnit) -> list[etree._Element]:
    small_grey = (_w("color", val=_GREY), _w("sz", val="16"), _w("szCs", val="16"))
    hidden = _run(f" base={unit.base} state={unit.state.value}", _w("vanish"))
    details = [_run(unit.name, *small_grey), hidden]
    return [_paragraph([_run(unit_name(unit.key))]), _paragraph(details)]


def _tagged_paragraphs(tagged: str, language: str) -> list[etree._Element]:
    """One paragraph holding ``tagged`` (line breaks are ``w:br``), tags as markers."""
    rtl = _primary(language) in _RTL
    text_properties = _language_properties(language, rtl)
    content: list[etree._Element] = []
    markers: list[str] = []  # adjacent tags share one content control
    for token in scan(tagged):
        if token.kind != "text":
            marker = _marker_text(token.kind, token.id)
            markers.append(f"{LRM}{marker}{LRM}" if rtl else marker)
            continue
        if markers:
            content.append(_markers(markers))
            markers = []
        content.append(_run(token.text, *text_properties))
    if markers:
        content.append(_markers(markers))
    return [_paragraph(content, rtl=rtl)]


def _primary(language: str) -> str:
    return language.split("-", 1)[0].split("_", 1)[0].lower()


def _language_properties(language: str, rtl: bool) -> tuple[etree._Element, ...]:
    lang = _w("lang", val=language)
    if _primary(language) in _EAST_ASIAN:
        lang.set(f"{{{W_NS}}}eastAsia", language)
    if rtl:
        lang.set(f"{{{W_NS}}}bidi", language)
        return (_w("rtl"), lang)
    return (lang,)


def _marker_text(kind: str, tag: int | None) -> str:
    if kind == "open":
        return f"{OPEN}g{tag}{CLOSE}"
    if kind == "close":
        return f"{OPEN}/g{tag}{CLOSE}"
    return f"{OPEN}x{tag}/{CLOSE}"


def _markers(markers: list[str]) -> etree._Element:
    """Adjacent markers, one run each, in an inline content control whose content Word
    will not let the reviewer edit (`_number_controls` gives it its id).

    Rich text, not plain text (``w:text``): LibreOffice 7.4 writes a plain text control
    once per bidi or script portion, duplicating its markers in right-to-left text. It
    keeps rich text controls (without their properties) as long as no two are adjacent,
    which is why adjacent markers share one.
    """
    properties = _w(
        "sdtPr",
        _w("rPr", _w("rStyle", val="IrisTag")),
        _w("alias", val="Iris tag"),
        _w("tag", val="iris-tag"),
        _w("id", val="0"),
        _w("lock", val="contentLocked"),
    )
    runs = [_run(marker, _w("rStyle", val="IrisTag")) for marker in markers]
    return _w("sdt", properties, _w("sdtContent", *runs))


def _number_controls(document: etree._Element) -> None:
    """Content control ids must be unique within the document."""
    control_ids = document.iterfind(f"{{{W_NS}}}body//{{{W_NS}}}sdtPr/{{{W_NS}}}id")
    for number, control_id in enumerate(control_ids, start=1):
        control_id.set(f"{{{W_NS}}}val", str(number))


def _comment_paragraphs(comment: str, notes: tuple[Note, ...]) -> list[etree._Element]:
    paragraphs = [_paragraph([_run(line)]) for line in comment.split("\n")]
    for note in notes:
        text = f"{NOTE_PREFIX}{_note_label(note)}: {note.text}"
        paragraphs.append(_paragraph([_run(text)], style="IrisNote"))
    return paragraphs


def _note_label(note: Note) -> str:
    """``qa error``, ``qa warning``, ``tm``, ``term``: priority 1 is an error."""
    if note.priority == 1:
        return f"{note.category} error"
    return "qa warning" if note.category == "qa" else note.category


def _styles() -> etree._Element:
    fonts = _w("rFonts", ascii="Calibri", hAnsi="Calibri", eastAsia="SimSun", cs="Arial")
    defaults = _w(
        "docDefaults",
        _w("rPrDefault", _w("rPr", fonts, _w("sz", val="20"), _w("szCs", val="20"))),
        _w("pPrDefault", _w("pPr", _w("spacing", after="60", line="240", lineRule="auto"))),
    )
    return _w(
        "styles",
        defaults,
        _style("paragraph", "Normal", "Normal", default=True),
        _style("character", "DefaultParagraphFont", "Default Paragraph Font", default=True),
        _style("paragraph", "IrisTitle", "Iris Title", _w("b"), _w("sz", val="32")),
        _style("paragraph", "IrisNote", "Iris Note", _w("i"), _w("color", val=_GREY)),
        _style(
            "character",
            "IrisTag",
            "Iris Tag",
            _w("noProof"),  # property order is the schema's (CT_RPr)
            _w("color", val="7030A0"),
            _w("shd", val="clear", color="auto", fill="EADCF4"),
        ),
    )


def _style(
    kind: str, style_id: str, name: str, *properties: etree._Element, default: bool = False
) -> etree._Element:
    style = _w("style", _w("name", val=name), type=kind, styleId=style_id)
    if default:
        style.set(f"{{{W_NS}}}default", "1")
    elif kind == "paragraph":
        style.append(_w("basedOn", val="Normal"))
    if not default:
        style.append(_w("qFormat"))
    if properties:
        style.append(_w("rPr", *properties))
    return style


# --- reading --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Words:
    """Qualified names of one WordprocessingML namespace (Transitional or Strict)."""

    ns: str

    def __call__(self, local: str) -> str:
        return f"{{{self.ns}}}{local}"


def read_bilingual(data: bytes) -> ReadPackage:
    """Read a reviewer's bilingual .docx written by `write_bilingual`.

    Raises `PackageError` when the file is not a safe .docx, has no Iris header line
    (neither in the text nor in the core properties) or no table whose first row is
    ID, Source, Target, Status, Comments.
    """
    body, core = _open(data)
    w = _Words(etree.QName(body).namespace or W_NS)
    job, package, source_lang, target_lang = _header(body, core, w)
    table, columns = _review_table(body, w)
    rows = [row for row in list(table.iterchildren(w("tr")))[1:] if _unit_row_kept(row, w)]
    rtl = target_lang is not None and _primary(target_lang) in _RTL
    units = [_read_row(row, columns, w, rtl) for row in rows]
    return ReadPackage(job, package, source_lang, target_lang, units)


def _unit_row_kept(row: etree._Element, w: _Words) -> bool:
    """False for a row deleted with tracked changes and for a row without any text (a
    reviewer who tabs past the last cell adds one): neither says anything about a unit."""
    if row.find(f"{w('trPr')}/{w('del')}") is not None:
        return False
    return any(line.strip() for _, cell in _cells(row, w) for line in _cell_lines(cell, w))


def _open(data: bytes) -> tuple[etree._Element, etree._Element | None]:
    try:
        opened = open_package(data)
        root = opened.xml(opened.main_part)
        cores = opened.related("", "core-properties")
        core = opened.xml(cores[0]) if cores else None
    except DocxError as error:
        reason = str(error).rstrip(".")
        raise PackageError(
            f"The file is not a bilingual review document Iris can read "
            f"({reason[:1].lower()}{reason[1:]})."
        ) from error
    body = next((child for child in root if etree.QName(child).localname == "body"), None)
    if body is None or etree.QName(root).namespace not in (W_NS, W_STRICT_NS):
        raise PackageError("The file is not a bilingual review document: it has no Word body.")
    return body, core


def _header(
    body: etree._Element, core: etree._Element | None, w: _Words
) -> tuple[str | None, str | None, str | None, str | None]:
    lines = [_paragraph_text(p, w) for p in body.iter(w("p")) if not _inside(p, body, w("tbl"))]
    if core is not None:
        lines += ["".join(str(text) for text in element.itertext()) for element in core]
    found = next((match for line in lines if (match := _HEADER_RE.search(line))), None)
    if found is None:
        raise PackageError(
            "The file has no 'Iris review package' header line; import the document "
            "Iris exported for review, not a copy of its text."
        )
    languages = next((match for line in lines if (match := _LANGUAGES_RE.search(line))), None)
    source_lang, target_lang = languages.groups() if languages else (None, None)
    return found.group(1), found.group(2), source_lang, target_lang


def _inside(element: etree._Element, scope: etree._Element, tag: str) -> bool:
    """True when an ancestor of ``element`` below ``scope`` is a ``tag`` element."""
    parent = element.getparent()
    while parent is not None and parent is not scope:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


def _review_table(body: etree._Element, w: _Words) -> tuple[etree._Element, dict[str, int]]:
    wanted = [column.lower() for column in COLUMNS]
    for table in body.iter(w("tbl")):
        first = table.find(w("tr"))
        if first is None:
            continue
        titles = [" ".join(_cell_lines(cell, w)).strip().lower() for _, cell in _cells(first, w)]
        if titles[: len(wanted)] == wanted:
            positions = [position for position, _ in _cells(first, w)]
            return table, dict(zip(wanted, positions, strict=False))
    raise PackageError(
        "The file has no review table with the header row ID, Source, Target, Status, "
        "Comments; import the document Iris exported for review."
    )


def _cells(row: etree._Element, w: _Words) -> list[tuple[int, etree._Element]]:
    """The row's cells with their grid column (merged cells span several)."""
    cells: list[tuple[int, etree._Element]] = []
    column = 0
    for cell in row.iter(w("tc")):
        if _inside(cell, row, w("tbl")):
            continue  # a cell of a table nested in one of the row's cells
        cells.append((column, cell))
        span = cell.find(f"{w('tcPr')}/{w('gridSpan')}")
        value = span.get(w("val"), "1") if span is not None else "1"
        column += int(value) if value.isdigit() and int(value) > 0 else 1
    return cells


def _read_row(row: etree._Element, columns: dict[str, int], w: _Words, rtl: bool) -> ReadUnit:
    by_column = dict(_cells(row, w))
    id_lines = _cell_lines(by_column.get(columns["id"]), w)
    raw_id = id_lines[0].strip() if id_lines else ""
    target, target_problem, notices = _read_target(by_column.get(columns["target"]), w, rtl)
    state, state_problem = _read_state(by_column.get(columns["status"]), w)
    problems = [problem for problem in (target_problem, state_problem) if problem]
    base, base_state = _read_base(by_column.get(columns["id"]), w)
    label = repr(raw_id) if raw_id else "without id"
    return ReadUnit(
        key=unit_key(raw_id),
        raw_id=raw_id,
        target=target,
        state=state,
        base=base,
        comment=_read_comment(by_column.get(columns["comments"]), w),
        problem="; ".join(problems) or None,
        base_state=base_state,
        notices=tuple(ReadNotice(code, f"Unit {label}: {text}") for code, text in notices),
    )


def _read_base(cell: etree._Element | None, w: _Words) -> tuple[str | None, ReviewState | None]:
    """The export fingerprint and the state the export wrote, from the hidden run."""
    if cell is None:
        return None, None
    hidden = [run for run in cell.iter(w("r")) if run.find(f"{w('rPr')}/{w('vanish')}") is not None]
    for run in hidden:
        text = "".join(_inline_text(run, w))
        match = _BASE_RE.search(text)
        if match:
            state = _BASE_STATE_RE.search(text)
            return match.group(1), review_state(state.group(1)) if state else None
    return None, None


def _read_target(
    cell: etree._Element | None, w: _Words, rtl: bool
) -> tuple[str | None, str | None, list[tuple[str, str]]]:
    """The tagged target, a problem, and what reading changed: hidden text dropped and
    paragraphs joined (a segment is one paragraph: Enter in the cell makes a new one,
    which Iris reads as a space between the paragraphs' texts)."""
    if cell is None:
        return None, None, []
    hidden: list[str] = []
    lines = _cell_lines(cell, w, hidden)
    notices = []
    if "".join(hidden).strip():
        shown = " ".join(hidden).strip()
        notices.append(
            (
                "hidden_text_dropped",
                f"the Target cell holds hidden text ({shown!r}), which is not part of the "
                "target and was dropped.",
            )
        )
    filled = [line for line in lines if line.strip()] if len(lines) > 1 else lines
    if len(filled) > 1:
        notices.append(
            (
                "paragraphs_joined",
                f"the Target cell holds {len(filled)} paragraphs; a segment is one "
                "paragraph, so they were joined with a space.",
            )
        )
    text, problem = _tagged_from_markers(_joined(filled), rtl)
    return text, problem, notices


def _joined(paragraphs: list[str]) -> str:
    """Paragraph texts joined with one space (no run of spaces where they meet)."""
    text = paragraphs[0] if paragraphs else ""
    for paragraph in paragraphs[1:]:
        text = f"{text.rstrip(_XML_SPACE_CHARS)} {paragraph.lstrip(_XML_SPACE_CHARS)}"
    return text


def _tagged_from_markers(text: str, rtl: bool) -> tuple[str, str | None]:
    """Iris tagged text from a cell's text with markers, and a problem naming every
    broken marker (None when there is none)."""
    pieces: list[str] = []
    broken: list[str] = []
    position = 0
    for match in (_RTL_MARKER_RE if rtl else _MARKER_RE).finditer(text):
        pieces.append(_literal(text[position : match.start()], broken))
        opened, closed, standalone = match.groups()
        if opened:
            pieces.append(tag_text("open", int(opened)))
        else:
            pieces.append(
                tag_text("close", int(closed))
                if closed
                else tag_text("standalone", int(standalone))
            )
        position = match.end()
    pieces.append(_literal(text[position:], broken))
    if not broken:
        return "".join(pieces), None
    names = ", ".join(repr(fragment) for fragment in broken)
    problem = (
        f"The target has a broken tag marker ({names}); restore it as ⟨gN⟩, ⟨/gN⟩ or ⟨xN/⟩ "
        "or delete it."
    )
    return "".join(pieces), problem


def _literal(text: str, broken: list[str]) -> str:
    broken.extend(_BROKEN_RE.findall(text))
    return escape_text(text)


def _read_state(cell: etree._Element | None, w: _Words) -> tuple[ReviewState | None, str | None]:
    if cell is None:
        return None, None
    value = " ".join(_cell_lines(cell, w)).strip().lower()
    if not value:
        return None, None
    try:
        return ReviewState(value), None
    except ValueError:
        known = ", ".join(state.value for state in ReviewState)
        return None, f"The status {value!r} is not one of {known}."


def _read_comment(cell: etree._Element | None, w: _Words) -> str:
    if cell is None:
        return ""
    lines = [line for line in _cell_lines(cell, w) if not line.startswith(NOTE_PREFIX)]
    return "\n".join(lines)


def _cell_lines(
    cell: etree._Element | None, w: _Words, hidden: list[str] | None = None
) -> list[str]:
    """The text of each paragraph of ``cell``; a paragraph whose mark was deleted with
    tracked changes joins the next one, as accepting the deletion would. With
    ``hidden``, runs hidden by direct formatting (``w:vanish``) are left out and their
    text appended to it."""
    if cell is None:
        return []
    lines: list[str] = []
    pending = ""
    for paragraph in cell.iter(w("p")):
        if _inside(paragraph, cell, w("txbxContent")):
            continue
        pending += "".join(_inline_text(paragraph, w, hidden))
        if not _mark_deleted(paragraph, w):
            lines.append(pending)
            pending = ""
    if pending:
        lines.append(pending)
    return lines


def _mark_deleted(paragraph: etree._Element, w: _Words) -> bool:
    mark = paragraph.find(f"{w('pPr')}/{w('rPr')}")
    return mark is not None and (
        mark.find(w("del")) is not None or mark.find(w("moveFrom")) is not None
    )


def _paragraph_text(paragraph: etree._Element, w: _Words) -> str:
    return "".join(_inline_text(paragraph, w))


# Wrappers whose content is gone once tracked changes are accepted, properties that
# hold no text, and fallbacks that repeat their alternative's content.
_SKIPPED = (
    "del",
    "moveFrom",
    "pPr",
    "rPr",
    "sdtPr",
    "sdtEndPr",
    "delText",
    "instrText",
    "txbxContent",
)
_CHARACTERS = {"tab": "\t", "ptab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "\u2011"}
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _inline_text(
    element: etree._Element, w: _Words, hidden: list[str] | None = None
) -> Iterator[str]:
    """The text of ``element`` in document order, tracked changes accepted; with
    ``hidden``, hidden runs are left out and their text appended to it."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag == _MC_FALLBACK:
            continue
        local = etree.QName(child).localname if tag.startswith(f"{{{w.ns}}}") else ""
        if local == "t":
            yield child.text or ""
        elif local in _CHARACTERS:
            yield _CHARACTERS[local]
        elif local == "softHyphen":
            yield "\u00ad"
        elif local == "r" and hidden is not None and _hidden_run(child, w):
            hidden.append("".join(_inline_text(child, w)))
        elif local not in _SKIPPED:
            yield from _inline_text(child, w, hidden)


def _hidden_run(run: etree._Element, w: _Words) -> bool:
    vanish = run.find(f"{w('rPr')}/{w('vanish')}")
    return vanish is not None and vanish.get(w("val"), "true") not in ("0", "false", "off")
