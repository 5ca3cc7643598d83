"""Small hand-built .docx packages for focused tests, and helpers to look inside outputs.

`make_docx` writes a minimal but complete WordprocessingML package (content types,
relationships, styles, settings, core properties) around a body given as XML text;
extra parts (headers, notes, comments, charts…) are added with their relationships.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from iris.docx import Unit, open_document

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
NAMESPACES = {
    "w": W,
    "r": R,
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "v": "urn:schemas-microsoft-com:vml",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "dgm": "http://schemas.openxmlformats.org/drawingml/2006/diagram",
    "dsp": "http://schemas.microsoft.com/office/drawing/2008/diagram",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "dc": "http://purl.org/dc/elements/1.1/",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
}
DECLARATIONS = " ".join(f'xmlns:{p}="{u}"' for p, u in NAMESPACES.items())
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
CONTENT_TYPES = {
    "aFChunk": "application/xhtml+xml",  # an altChunk (here XHTML)
    "header": _WML + "header+xml",
    "footer": _WML + "footer+xml",
    "footnotes": _WML + "footnotes+xml",
    "endnotes": _WML + "endnotes+xml",
    "comments": _WML + "comments+xml",
    "chart": "application/vnd.openxmlformats-officedocument.drawingml.chart+xml",
    "diagramData": "application/vnd.openxmlformats-officedocument.drawingml.diagramData+xml",
    "diagramDrawing": "application/vnd.ms-office.drawingml.diagramDrawing+xml",
}
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
REL_TYPES = {
    "diagramDrawing": "http://schemas.microsoft.com/office/2007/relationships/diagramDrawing",
}


@dataclass
class Part:
    """An extra part related to the main document (``kind`` is the relationship suffix)."""

    name: str
    kind: str
    xml: str
    rel_id: str = ""


@dataclass
class Docx:
    """Inputs of `make_docx`."""

    body: str
    parts: list[Part] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)
    title: str = "Test document"
    settings: str = '<w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>'
    styles: str = ""


def make_docx(
    body: str,
    *,
    parts: list[Part] | None = None,
    links: dict[str, str] | None = None,
    title: str = "Test document",
    settings: str | None = None,
    styles: str = "",
) -> bytes:
    """A complete .docx whose ``w:body`` holds ``body`` (a ``w:sectPr`` is appended);
    ``styles`` (``w:style`` elements) follows the document defaults in the styles part."""
    spec = Docx(body, parts or [], links or {}, title, styles=styles)
    if settings is not None:
        spec.settings = settings
    files = {
        "[Content_Types].xml": _content_types(spec),
        "_rels/.rels": _package_rels(),
        "word/document.xml": _document(spec),
        "word/_rels/document.xml.rels": _document_rels(spec),
        "word/styles.xml": _styles(spec.styles),
        "word/settings.xml": f"<w:settings {DECLARATIONS}>{spec.settings}</w:settings>",
        "docProps/core.xml": _core(spec.title),
    }
    for part in spec.parts:
        files[part.name] = part.xml
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(
                name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text
            )
    return buffer.getvalue()


PKG_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CORE_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"
RELS_TYPE = "application/vnd.openxmlformats-package.relationships+xml"
CORE_REL = PKG_RELS + "/metadata/core-properties"


def _content_types(spec: Docx) -> str:
    overrides = [
        ("/word/document.xml", _WML + "document.main+xml"),
        ("/word/styles.xml", _WML + "styles+xml"),
        ("/word/settings.xml", _WML + "settings+xml"),
        ("/docProps/core.xml", CORE_TYPE),
    ]
    overrides += [(f"/{p.name}", CONTENT_TYPES[p.kind]) for p in spec.parts]
    items = "".join(f'<Override PartName="{n}" ContentType="{t}"/>' for n, t in overrides)
    defaults = (
        f'<Default Extension="rels" ContentType="{RELS_TYPE}"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
    )
    return f'<Types xmlns="{PKG_CT}">{defaults}{items}</Types>'


def _relationships(items: list[tuple[str, str, str, bool]]) -> str:
    rels = "".join(
        f'<Relationship Id="{i}" Type="{t}" Target="{target}"'
        + (' TargetMode="External"' if external else "")
        + "/>"
        for i, t, target, external in items
    )
    return f'<Relationships xmlns="{PKG_RELS}">{rels}</Relationships>'


def _package_rels() -> str:
    return _relationships(
        [
            ("rId1", REL + "officeDocument", "word/document.xml", False),
            ("rId2", CORE_REL, "docProps/core.xml", False),
        ]
    )


def _document_rels(spec: Docx) -> str:
    items = [
        ("rIdStyles", REL + "styles", "styles.xml", False),
        ("rIdSettings", REL + "settings", "settings.xml", False),
    ]
    for index, part in enumerate(spec.parts):
        rel_type = REL_TYPES.get(part.kind, REL + part.kind)
        target = part.name.removeprefix("word/")
        items.append((part.rel_id or f"rIdPart{index}", rel_type, target, False))
    items += [(rel_id, REL + "hyperlink", url, True) for rel_id, url in spec.links.items()]
    return _relationships(items)


def _document(spec: Docx) -> str:
    body = f"<w:body>{spec.body}<w:sectPr/></w:body>"
    return f'<w:document {DECLARATIONS} mc:Ignorable="w14">{body}</w:document>'


def _styles(styles: str) -> str:
    return (
        f"<w:styles {DECLARATIONS}><w:docDefaults><w:rPrDefault><w:rPr>"
        '<w:lang w:val="en-US" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        f"</w:docDefaults>{styles}</w:styles>"
    )


def _core(title: str) -> str:
    return (
        f'<cp:coreProperties xmlns:cp="{NAMESPACES["cp"]}" xmlns:dc="{NAMESPACES["dc"]}">'
        f"<dc:title>{title}</dc:title><dc:subject>Testing subject</dc:subject>"
        "</cp:coreProperties>"
    )


def story(tag: str, content: str) -> str:
    """The XML of a header/footer/notes/comments part with root ``w:<tag>``."""
    return f"<w:{tag} {DECLARATIONS}>{content}</w:{tag}>"


def read_part(data: bytes, name: str) -> etree._Element:
    """Parse one XML part of a package."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def xpath(element: etree._Element, path: str) -> list[etree._Element]:
    """Elements matching ``path`` (prefixes of `NAMESPACES`)."""
    found = element.xpath(path, namespaces=NAMESPACES)
    assert isinstance(found, list)
    return [item for item in found if isinstance(item, etree._Element)]


def texts(element: etree._Element) -> str:
    """All ``w:t`` text below ``element``, concatenated."""
    return "".join(t.text or "" for t in element.iter(f"{{{W}}}t"))


def p(content: str, ppr: str = "") -> str:
    """A paragraph with optional ``w:pPr`` content."""
    properties = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
    return f"<w:p>{properties}{content}</w:p>"


def r(text: str, rpr: str = "") -> str:
    """A run with text (``xml:space="preserve"`` always) and optional properties."""
    properties = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f'<w:r>{properties}<w:t xml:space="preserve">{text}</w:t></w:r>'


def units_by_id(data: bytes, **options: object) -> dict[str, Unit]:
    """The units of a package by id."""
    return {unit.id: unit for unit in open_document(data, **options).units()}  # type: ignore[arg-type]


def translate(data: bytes, targets: dict[str, str], lang: str = "de", **options: object) -> bytes:
    """Apply ``targets`` (by unit id) to a package."""
    return open_document(data, **options).apply(targets, lang)  # type: ignore[arg-type]


def body_of(data: bytes) -> etree._Element:
    """The ``w:body`` of a package's main part."""
    body = read_part(data, "word/document.xml").find(f"{{{W}}}body")
    assert body is not None
    return body


def one(element: etree._Element, path: str) -> etree._Element:
    """The first element at ``path`` (ElementPath with ``{ns}`` names); fails if none."""
    found = element.find(path)
    assert found is not None, f"nothing at {path}"
    return found


def all_text(element: etree._Element) -> str:
    """Every text node below ``element``, concatenated."""
    return "".join(str(text) for text in element.itertext())
