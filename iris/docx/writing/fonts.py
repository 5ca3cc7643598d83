"""The font a run is set in, as far as typography needs it, and its class.

`StyleSheet` reads the document's styles part and theme once: each style's Latin font
(``w:rFonts/@w:ascii``, else ``@w:hAnsi``; a theme slot such as ``minorHAnsi`` is looked
up in the theme's font scheme) and paragraph direction (``w:bidi``), through
``w:basedOn``. A run's font is, in Word's order (ECMA-376 Part 1, 17.7.2): its direct
``w:rFonts``, its character style, its paragraph style (or the default paragraph
style), the style of the table it is in, the document defaults, and Times New Roman
(the font Word uses when none is named).

The table style is the ``w:tblStyle`` of the nearest table around the paragraph (a
nested table's own style: tables inherit nothing from the table they sit in), else the
default table style (``w:type="table" w:default="1"``); a text box ends the search,
since its text is a story of its own. Only the style's whole-table ``w:rPr`` is read:
its conditional formats (``w:tblStylePr`` for the first row, banded rows …) depend on
the cell's position and the table's ``w:tblLook``, and are left out.

`font_class` sorts a font into ``sans`` or ``serif``: first by a list of known faces
(Latin and CJK), then by words in its name ("Sans", "Gothic", "Hei" … / "Serif",
"Roman", "Mincho", "Song", "Ming" …); monospaced faces count as sans-serif (Japanese
and Chinese documents set code in Gothic/Hei faces). Anything else is ``None``;
`iris.docx.writing.typography` then uses the class of the document's default font (Times New
Roman when none is named), and sans-serif when that is unknown too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from lxml import etree

from iris.docx.opc.names import WNE_TXBX, WordNames, word_names_for
from iris.docx.opc.package import Package

FALLBACK_FONT = "Times New Roman"
_SANS = frozenset(
    {
        "arial", "arial narrow", "arial black", "arial unicode ms", "calibri", "calibri light",
        "helvetica", "helvetica neue", "segoe ui", "segoe ui light", "segoe ui semibold",
        "verdana", "tahoma", "aptos", "aptos display", "aptos narrow", "candara", "corbel",
        "franklin gothic book", "franklin gothic medium", "gill sans", "gill sans mt",
        "trebuchet ms", "lucida sans", "lucida sans unicode", "lucida grande",
        "century gothic", "futura", "roboto", "open sans", "lato", "montserrat",
        "source sans pro", "noto sans", "dejavu sans", "liberation sans", "carlito",
        "microsoft sans serif", "ms sans serif", "avenir", "myriad pro", "frutiger",
        "univers", "courier new", "courier", "consolas", "lucida console",
        "dejavu sans mono", "liberation mono", "menlo", "monaco",
        "ms gothic", "ms pgothic", "ms ui gothic", "yu gothic", "yu gothic ui",
        "yu gothic light", "meiryo", "meiryo ui", "simhei", "microsoft yahei", "dengxian",
        "microsoft jhenghei", "gulim", "dotum", "malgun gothic", "noto sans cjk jp",
        "noto sans cjk sc", "noto sans cjk tc", "noto sans cjk kr", "source han sans",
        "hiragino sans", "hiragino kaku gothic pro", "ｍｓ ゴシック", "游ゴシック", "メイリオ",
        "黑体", "微软雅黑", "等线", "微軟正黑體", "굴림", "돋움", "맑은 고딕",
    }
)  # fmt: skip
_SERIF = frozenset(
    {
        "times new roman", "times", "cambria", "georgia", "garamond", "eb garamond",
        "book antiqua", "palatino", "palatino linotype", "constantia", "century",
        "century schoolbook", "bookman old style", "baskerville", "baskerville old face",
        "didot", "bodoni mt", "minion pro", "liberation serif", "dejavu serif",
        "noto serif", "caladea", "tinos", "sitka text", "charter", "perpetua",
        "goudy old style", "source serif pro", "merriweather", "cambria math",
        "ms mincho", "ms pmincho", "yu mincho", "simsun", "nsimsun", "kaiti", "fangsong",
        "pmingliu", "mingliu", "batang", "batangche", "gungsuh", "noto serif cjk jp",
        "noto serif cjk sc", "noto serif cjk tc", "noto serif cjk kr", "source han serif",
        "hiragino mincho pro", "ｍｓ 明朝", "游明朝", "宋体", "新細明體", "바탕", "궁서",
    }
)  # fmt: skip
_SANS_WORDS = ("sans", "gothic", "grotesk", "grotesque", "hei", "ゴシック", "黑", "黒", "돋움")
_SERIF_WORDS = ("serif", "roman", "mincho", "明朝", "song", "宋", "ming", "明", "batang", "바탕")


def font_class(name: str | None) -> str | None:
    """``"sans"``, ``"serif"`` or None (unknown) for a font name."""
    if not name:
        return None
    key = " ".join(name.lower().split())
    if key in _SANS:
        return "sans"
    if key in _SERIF:
        return "serif"
    if any(word in key for word in _SANS_WORDS):
        return "sans"
    if any(word in key for word in _SERIF_WORDS):
        return "serif"
    return None


@dataclass
class _Style:
    based_on: str | None
    font: str | None
    bidi: bool | None


@dataclass
class StyleSheet:
    """Fonts and paragraph directions of a document's styles (see the module docstring)."""

    styles: dict[str, _Style] = field(default_factory=dict)
    theme: dict[str, str] = field(default_factory=dict)
    default_font: str | None = None
    default_bidi: bool | None = None
    default_paragraph_style: str | None = None
    default_table_style: str | None = None
    table_styles: set[str] = field(default_factory=set)

    @classmethod
    def read(cls, package: Package) -> StyleSheet:
        """The style sheet of a package (empty when it has no styles part)."""
        main = package.main_part
        sheet = cls()
        for name in package.related(main, "theme")[:1]:
            sheet.theme = _theme_fonts(package.xml(name))
        for name in package.related(main, "styles")[:1]:
            sheet._read_styles(package.xml(name))
        return sheet

    def _read_styles(self, root: etree._Element) -> None:
        names = word_names_for(root.tag)
        defaults = root.find(f"{names.q('docDefaults')}/{names.q('rPrDefault')}/{names.rPr}")
        self.default_font = (
            self.fonts_font(defaults.find(names.rFonts)) if defaults is not None else None
        )
        bidi = root.find(
            f"{names.q('docDefaults')}/{names.q('pPrDefault')}/{names.pPr}/{names.bidi}"
        )
        self.default_bidi = None if bidi is None else _on(bidi)
        for style in root.iterfind(names.q("style")):
            style_id = style.get(names.q("styleId"))
            if not style_id:
                continue
            based = style.find(names.q("basedOn"))
            fonts = style.find(f"{names.rPr}/{names.rFonts}")
            bidi = style.find(f"{names.pPr}/{names.bidi}")
            self.styles[style_id] = _Style(
                None if based is None else based.get(names.q("val")),
                self.fonts_font(fonts),
                None if bidi is None else _on(bidi),
            )
            kind = style.get(names.q("type"))
            if kind == "table":
                self.table_styles.add(style_id)
            if style.get(names.q("default")) not in ("1", "true", "on"):
                continue
            if kind == "paragraph":
                self.default_paragraph_style = style_id
            elif kind == "table":
                self.default_table_style = style_id

    def fonts_font(self, fonts: etree._Element | None) -> str | None:
        """The Latin font a ``w:rFonts`` names (its theme slot first), or None."""
        if fonts is None:
            return None
        for local in ("asciiTheme", "hAnsiTheme"):
            slot = _attribute(fonts, local)
            if slot:
                return self.theme.get("major" if slot.startswith("major") else "minor")
        return _attribute(fonts, "ascii") or _attribute(fonts, "hAnsi")

    def style_font(self, style_id: str | None) -> str | None:
        """The Latin font a style gives, through ``w:basedOn``."""
        found = self._inherited(style_id, "font")
        return found if isinstance(found, str) else None

    def style_bidi(self, style_id: str | None) -> bool:
        """True when a paragraph style (or the defaults) makes paragraphs right-to-left."""
        found = self._inherited(style_id or self.default_paragraph_style, "bidi")
        return bool(self.default_bidi if found is None else found)

    @cached_property
    def has_bidi_style(self) -> bool:
        """True when any style or the defaults turn ``w:bidi`` on."""
        return bool(self.default_bidi) or any(style.bidi for style in self.styles.values())

    @cached_property
    def has_table_fonts(self) -> bool:
        """True when some table style names a Latin font (else tables change nothing)."""
        return any(self.style_font(style_id) for style_id in self.table_styles)

    def table_style(self, paragraph: etree._Element, names: WordNames) -> str | None:
        """The style of the table a paragraph is in, when it can give the paragraph's runs
        a font (None outside tables, in text boxes, or when no table style has fonts)."""
        if not self.has_table_fonts:
            return None
        for ancestor in paragraph.iterancestors():
            tag = ancestor.tag
            if tag == names.tbl:
                style = ancestor.find(f"{names.q('tblPr')}/{names.q('tblStyle')}")
                return self.default_table_style if style is None else style.get(names.q("val"))
            if tag == names.txbxContent or tag == WNE_TXBX or tag == names.body:
                return None
        return None

    def run_font(
        self,
        direct: str | None,
        run_style: str | None,
        para_style: str | None,
        table_style: str | None = None,
    ) -> str:
        """The Latin font of a run (see the module docstring for the order)."""
        return (
            direct
            or self.style_font(run_style)
            or self.style_font(para_style or self.default_paragraph_style)
            or self.style_font(table_style)
            or self.default_font
            or FALLBACK_FONT
        )

    def _inherited(self, style_id: str | None, name: str) -> str | bool | None:
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            style = self.styles.get(style_id)
            if style is None:
                return None
            value: str | bool | None = getattr(style, name)
            if value is not None:
                return value
            style_id = style.based_on
        return None


def _attribute(element: etree._Element, local: str) -> str | None:
    for name, value in element.attrib.items():
        if str(name).rpartition("}")[2] == local:
            return str(value)
    return None


def _on(element: etree._Element) -> bool:
    return _attribute(element, "val") not in ("0", "false", "off")


def _theme_fonts(root: etree._Element) -> dict[str, str]:
    found = {}
    for slot in ("major", "minor"):
        latin = root.find(f".//{{*}}{slot}Font/{{*}}latin")
        if latin is not None and latin.get("typeface"):
            found[slot] = str(latin.get("typeface"))
    return found
