"""Namespaces and qualified element names, for Transitional and Strict documents alike.

Hot loops compare ``element.tag`` with precomputed ``{namespace}local`` strings; a
`WordNames` instance holds them for one WordprocessingML namespace (Transitional or
Strict), `DrawingNames` for one DrawingML namespace.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
A_STRICT_NS = "http://purl.oclc.org/ooxml/drawingml/main"
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
C_STRICT_NS = "http://purl.oclc.org/ooxml/drawingml/chart"
DGM_NS = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
DGM_STRICT_NS = "http://purl.oclc.org/ooxml/drawingml/diagram"
DSP_NS = "http://schemas.microsoft.com/office/drawing/2008/diagram"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WNE_NS = "http://schemas.microsoft.com/office/word/2006/wordml"
V_NS = "urn:schemas-microsoft-com:vml"
XML_NS = "http://www.w3.org/XML/1998/namespace"
DC_NS = "http://purl.org/dc/elements/1.1/"
CP_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"

XML_SPACE = f"{{{XML_NS}}}space"
MC_ALTERNATE = f"{{{MC_NS}}}AlternateContent"
MC_CHOICE = f"{{{MC_NS}}}Choice"
MC_FALLBACK = f"{{{MC_NS}}}Fallback"
WNE_TXBX = f"{{{WNE_NS}}}txbxContent"

WORD_NAMESPACES = (W_NS, W_STRICT_NS)


def words(text: str) -> tuple[str, ...]:
    """The whitespace-separated words of ``text`` (for long name lists)."""
    return tuple(text.split())


def local_name(tag: object) -> str:
    """Local part of a Clark-notation tag; "" for comments and processing instructions."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def namespace_of(tag: object) -> str:
    """Namespace of a Clark-notation tag ("" when it has none)."""
    if not isinstance(tag, str) or not tag.startswith("{"):
        return ""
    return tag[1 : tag.index("}")]


_WORD_LOCALS = words(
    "p pPr r rPr t tab br cr sym ptab noBreakHyphen softHyphen lastRenderedPageBreak "
    "proofErr hyperlink smartTag smartTagPr customXml customXmlPr sdt sdtPr sdtEndPr "
    "sdtContent ins moveFrom moveTo fldSimple fldChar instrText delText delInstrText dir "
    "bdo bookmarkStart bookmarkEnd commentRangeStart commentRangeEnd commentReference "
    "footnoteReference endnoteReference footnoteRef endnoteRef annotationRef separator "
    "continuationSeparator drawing pict object permStart permEnd tbl tr tc txbxContent "
    "footnote endnote comment body hdr ftr vanish lang rtl bidi rFonts b bCs i iCs sz "
    "szCs docPart docPartBody"
)


class WordNames:
    """Qualified WordprocessingML names for one namespace (``names.p`` is ``{ns}p``).

    Names are plain instance attributes, so lookups in hot loops are dictionary-fast;
    ``names.q("del")`` builds any other name (and keywords such as ``del``).
    """

    def __init__(self, ns: str) -> None:
        self.ns = ns
        self.__dict__.update({local: f"{{{ns}}}{local}" for local in _WORD_LOCALS})
        self.delete = f"{{{ns}}}del"

    def __getattr__(self, local: str) -> str:
        # Only reached for names missing from _WORD_LOCALS: a programming error.
        raise AttributeError(local)

    def q(self, local: str) -> str:
        """Qualified name of any element or attribute in this namespace."""
        return f"{{{self.ns}}}{local}"


@cache
def word_names(ns: str) -> WordNames:
    """The `WordNames` of a WordprocessingML namespace (cached)."""
    return WordNames(ns)


def word_names_for(root_tag: str) -> WordNames:
    """`WordNames` matching the namespace of a part's root element (Transitional default)."""
    ns = namespace_of(root_tag)
    return word_names(W_STRICT_NS if ns == W_STRICT_NS else W_NS)


@dataclass(frozen=True)
class DrawingNames:
    """Qualified DrawingML text names (``a:p``, ``a:r``…) for one namespace."""

    ns: str
    p: str
    pPr: str
    r: str
    rPr: str
    t: str
    br: str
    fld: str
    endParaRPr: str


@cache
def drawing_names(ns: str = A_NS) -> DrawingNames:
    """The `DrawingNames` of a DrawingML namespace (cached)."""
    locals_ = ("p", "pPr", "r", "rPr", "t", "br", "fld", "endParaRPr")
    return DrawingNames(ns, *(f"{{{ns}}}{local}" for local in locals_))


def attributes_of(element: etree._Element) -> dict[str, str]:
    """A plain copy of an element's attributes (for `makeelement`)."""
    return {str(name): str(value) for name, value in element.attrib.items()}
