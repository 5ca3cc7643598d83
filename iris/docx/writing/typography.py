"""Target-language typography of translated runs, paragraphs, tables and sections.

* Every translated run gets ``w:lang``: ``@w:val`` for most languages, ``@w:eastAsia``
  for Chinese/Japanese/Korean, ``@w:bidi`` for complex-script languages, right-to-left
  or not (DrawingML runs: ``a:rPr/@lang``). Despite its name, ``@w:bidi`` is the language
  of complex-script text, Thai and Devanagari as much as Arabic.
* Complex-script targets (`COMPLEX_SCRIPT_LANGUAGES`: the right-to-left ones, and Thai,
  Lao, Khmer, Myanmar, Tibetan and the Indic scripts, which read left to right): runs
  get the complex-script twins of ``b``/``i``/``sz`` (``bCs``/``iCs``/``szCs``) and a
  complex-script font (``w:rFonts/@w:cs``, `COMPLEX_SCRIPT_FONTS`; DrawingML ``a:cs``):
  Word and LibreOffice format text of those scripts from these alone, so a bold 16 pt
  source run that names only ``w:b`` and ``w:sz``, as python-docx and many generators
  write it, would otherwise come out regular at the default size. The left-to-right
  ones get no direction setting.
* Right-to-left targets (ar, he, fa, ur, …): ``w:rtl`` goes only on stretches of
  right-to-left script; Latin words, URLs and European digits stay in runs without it
  (runs are split by `iris.docx.writing.bidi`, which describes the rules). Paragraphs
  get ``w:bidi`` (those left as they were too, a number or a code, once anything in the
  document is translated: it reads in one direction throughout), the tables
  around them ``w:bidiVisual`` (columns mirrored), the main part's sections ``w:bidi``
  and ``w:rtlGutter``. Alignment is kept logical: Word reads ``left``/``right`` (and
  ``start``/``end``) as the start/end side of a bidi paragraph, so adding ``w:bidi``
  mirrors it by itself and nothing is swapped. DrawingML paragraphs get
  ``a:pPr/@rtl="1"``, their runs ``a:cs``, and their right-to-left stretches
  ``a:rPr/a:rtl``, split from Latin and digits exactly as Word runs are (ECMA-376
  Annex I.2 makes ``a:rtl`` the DrawingML twin of ``w:rtl``). A DrawingML run has one
  ``lang``, which stays the target language on every stretch, as Word's ``w:lang/@w:bidi``
  does.
* Left-to-right targets undo what a right-to-left source had, on what was translated:
  ``w:rtl`` leaves runs that hold no right-to-left script, ``w:bidi`` leaves the
  paragraphs (written ``w:bidi w:val="0"`` when their style turns it on), and so does
  ``w:bidiVisual`` of the tables around them, ``w:bidi``/``w:rtlGutter`` of the
  sections and ``rtl="1"`` of DrawingML paragraphs; ``a:rtl`` leaves DrawingML runs that
  hold no right-to-left script.
* CJK targets: ``w:rFonts/@w:eastAsia`` from `EAST_ASIAN_FONTS` (theme attributes
  for East Asian text are removed, since they would override it), plus
  ``w:hint="eastAsia"`` when the run's Latin font is not a CJK font, so shared
  punctuation uses the East Asian font. DrawingML runs get ``a:ea``. Paragraphs get the
  line-breaking settings of `EAST_ASIAN_BREAKING`. In Japanese and Chinese, the spaces
  an engine keeps between two sentences of a paragraph are dropped after a sentence
  that ends in a full-width character (`Typography.join_targets`): those languages put
  no space between sentences; Korean does.

Font maps. The face follows the class of the run's Latin font (`iris.docx.writing.fonts`
resolves it through direct formatting, character, paragraph and table styles,
document defaults and theme fonts, and sorts it into sans-serif or serif). A font of
unknown class takes the class of the document's default font (Times New Roman when the
document names none, as in Word), and sans-serif when that is unknown too, since
Word's default body fonts, Calibri and Aptos, are sans-serif. Every face named here
ships with Windows (the East Asian ones with the language's supplemental fonts, which
Windows adds with the language) or with Office:

=========  ======================  ===================
language   sans-serif source       serif source
=========  ======================  ===================
ja         Yu Gothic               Yu Mincho
zh-Hans    Microsoft YaHei         SimSun
zh-Hant    Microsoft JhengHei      PMingLiU
ko         Malgun Gothic           Batang
ar fa ur   Arial                   Times New Roman
he yi      Arial                   Times New Roman
ps sd ckb  Arial                   Times New Roman
ug         Microsoft Uighur        Microsoft Uighur
dv         MV Boli                 MV Boli
th lo km   Leelawadee UI           Leelawadee UI
my         Myanmar Text            Myanmar Text
bo         Microsoft Himalaya      Microsoft Himalaya
Indic      Nirmala UI              Nirmala UI
=========  ======================  ===================

Arial and Times New Roman carry Arabic (with the Persian and Urdu letters) and Hebrew
on Windows and macOS alike, unlike the traditional faces (Traditional Arabic, David, B
Nazanin, Nastaliq faces), which are missing from many installations; Urdu is thus set
in Naskh rather than Nastaliq. "Indic" is every language of `INDIC_LANGUAGES`
(Devanagari: hi mr ne sa kok mai; Bengali script: bn as; pa gu or ta te kn ml si):
Nirmala UI covers all of their scripts, and it, Leelawadee UI (Thai, Lao, Khmer) and
Myanmar Text are part of every Windows since 10, with nothing to add. The older faces
Office's themes name (Mangal, Vrinda, Latha, Cordia New, Angsana New, DaunPenh, …) are
left out: since Windows 10 they come only with the language's optional supplemental
fonts, and the traditional Thai ones are set so small that a document sized for Latin
text would shrink. A script has no serif face among Windows' own, so both classes get
the one face. ``font_map`` (per exact language, ``zh-Hans``/``zh-Hant``, or primary
language) replaces both classes with one face.

Line breaking (`EAST_ASIAN_BREAKING`), written explicitly on translated paragraphs
because documents from Western templates often turn them off: Japanese and Chinese get
``w:kinsoku`` (no line may start or end with the characters East Asian rules forbid
there), ``w:overflowPunct`` (punctuation may hang past the margin) and
``w:autoSpaceDE``/``w:autoSpaceDN`` (a small gap between CJK text and Latin letters or
digits), Word's defaults for those languages. Korean gets ``w:wordWrap`` (lines break
between words, never inside a Korean word, as in modern Korean typesetting) and the
two ``autoSpace`` settings off, since Korean writes its own spaces and attaches
particles to Latin words and numbers (``Windows를``, ``10개``); ``w:kinsoku`` only
applies to Chinese and Japanese text.

All insertions follow the schema sequence (`iris.docx.writing.schema_order`).
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from lxml import etree

from iris.docx.opc.names import DrawingNames, WordNames, word_names_for
from iris.docx.opc.package import Package
from iris.docx.text.tags import plain_text
from iris.docx.writing.bidi import (
    A_RPR_ORDER,
    RTL_SCRIPT_RE,
    run_properties,
    set_rtl,
    set_run_directions,
)
from iris.docx.writing.fonts import StyleSheet, font_class
from iris.docx.writing.schema_order import (
    PPR_ORDER,
    RPR_ORDER,
    SECTPR_ORDER,
    TBLPR_ORDER,
    ensure_child,
    insert_ordered,
)

RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"})
INDIC_LANGUAGES = frozenset(
    {"hi", "mr", "ne", "sa", "kok", "mai", "bn", "as", "pa", "gu", "or", "ta", "te", "kn",
     "ml", "si"}
)  # fmt: skip
COMPLEX_SCRIPT_LANGUAGES = RTL_LANGUAGES | INDIC_LANGUAGES | {"th", "lo", "km", "my", "bo"}
CJK_LANGUAGES = frozenset({"zh", "ja", "ko"})
EAST_ASIAN_FONTS: Mapping[str, Mapping[str, str]] = {
    "ja": {"sans": "Yu Gothic", "serif": "Yu Mincho"},
    "zh-Hans": {"sans": "Microsoft YaHei", "serif": "SimSun"},
    "zh-Hant": {"sans": "Microsoft JhengHei", "serif": "PMingLiU"},
    "ko": {"sans": "Malgun Gothic", "serif": "Batang"},
}
_CORE_FONTS: Mapping[str, str] = {"sans": "Arial", "serif": "Times New Roman"}


def _one_face(face: str) -> Mapping[str, str]:
    return {"sans": face, "serif": face}


COMPLEX_SCRIPT_FONTS: Mapping[str, Mapping[str, str]] = {
    **dict.fromkeys(("ar", "fa", "ur", "he", "yi", "ps", "sd", "ckb"), _CORE_FONTS),
    "ug": {"sans": "Microsoft Uighur", "serif": "Microsoft Uighur"},
    "dv": {"sans": "MV Boli", "serif": "MV Boli"},
    **dict.fromkeys(("th", "lo", "km"), _one_face("Leelawadee UI")),
    "my": _one_face("Myanmar Text"),
    "bo": _one_face("Microsoft Himalaya"),
    **dict.fromkeys(INDIC_LANGUAGES, _one_face("Nirmala UI")),
}
_CHINESE_JAPANESE = {
    "kinsoku": True,
    "overflowPunct": True,
    "autoSpaceDE": True,
    "autoSpaceDN": True,
}
EAST_ASIAN_BREAKING: Mapping[str, Mapping[str, bool]] = {
    "ja": _CHINESE_JAPANESE,
    "zh": _CHINESE_JAPANESE,
    "ko": {"wordWrap": True, "autoSpaceDE": False, "autoSpaceDN": False},
}
CJK_FONT_NAMES = frozenset(
    {
        "ms mincho", "ms gothic", "ms pmincho", "ms pgothic", "yu mincho", "yu gothic",
        "meiryo", "simsun", "nsimsun", "simhei", "microsoft yahei", "dengxian", "kaiti",
        "fangsong", "pmingliu", "mingliu", "microsoft jhenghei", "batang", "gulim", "dotum",
        "malgun gothic", "gungsuh", "noto sans cjk", "noto serif cjk", "source han sans",
        "source han serif", "hiragino mincho", "hiragino sans", "ｍｓ 明朝", "ｍｓ ゴシック",
        "宋体", "黑体", "新細明體", "바탕", "굴림",
    }
)  # fmt: skip
_CULTURES = {
    "ar": "ar-SA", "he": "he-IL", "fa": "fa-IR", "ur": "ur-PK", "ja": "ja-JP", "ko": "ko-KR",
    "zh": "zh-CN", "zh-hans": "zh-CN", "zh-hant": "zh-TW", "en": "en-US", "fr": "fr-FR",
    "de": "de-DE", "es": "es-ES", "it": "it-IT", "pt": "pt-PT", "nl": "nl-NL", "ru": "ru-RU",
    "pl": "pl-PL", "sv": "sv-SE", "da": "da-DK", "fi": "fi-FI", "nb": "nb-NO", "no": "nb-NO",
    "cs": "cs-CZ", "sk": "sk-SK", "tr": "tr-TR", "el": "el-GR", "uk": "uk-UA", "hu": "hu-HU",
    "ro": "ro-RO", "bg": "bg-BG", "hr": "hr-HR", "sl": "sl-SI", "et": "et-EE", "lv": "lv-LV",
    "lt": "lt-LT", "th": "th-TH", "vi": "vi-VN", "id": "id-ID", "hi": "hi-IN", "yi": "yi-001",
    "lo": "lo-LA", "km": "km-KH", "my": "my-MM", "bo": "bo-CN", "mr": "mr-IN", "ne": "ne-NP",
    "sa": "sa-IN", "kok": "kok-IN", "mai": "mai-IN", "bn": "bn-BD", "as": "as-IN",
    "pa": "pa-IN", "gu": "gu-IN", "or": "or-IN", "ta": "ta-IN", "te": "te-IN", "kn": "kn-IN",
    "ml": "ml-IN", "si": "si-LK",
}  # fmt: skip
_TOGGLE_TWINS = (("b", "bCs"), ("i", "iCs"), ("sz", "szCs"))
_SPACELESS = frozenset({"ja", "zh"})  # no space between sentences
_SECTION_PATHS = ("w:sectPr", "w:p/w:pPr/w:sectPr", "w:sdt/w:sdtContent/w:p/w:pPr/w:sectPr")

FontKey = tuple[object, ...]


def base_language(lang: str) -> str:
    """Primary language subtag, lower-case (``pt-BR`` → ``pt``)."""
    return lang.replace("_", "-").split("-")[0].lower()


def culture_tag(lang: str) -> str:
    """A Word language tag for ``lang`` (``ja`` → ``ja-JP``, ``pt-BR`` stays)."""
    clean = lang.replace("_", "-")
    parts = clean.split("-")
    if len(parts) > 1 and (len(parts[-1]) == 2 or parts[-1].isdigit()):
        return f"{parts[0].lower()}-{parts[-1].upper()}"
    return _CULTURES.get(clean.lower(), _CULTURES.get(parts[0].lower(), clean))


def cjk_font_key(lang: str) -> str:
    """Font-map key of a CJK language: ``ja``, ``ko``, ``zh-Hans`` or ``zh-Hant``."""
    base = base_language(lang)
    if base != "zh":
        return base
    traditional = any(mark in lang.upper() for mark in ("HANT", "-TW", "-HK", "-MO"))
    return "zh-Hant" if traditional else "zh-Hans"


def script_fonts(target_lang: str, font_map: Mapping[str, str] | None = None) -> dict[str, str]:
    """The East Asian or complex-script face per font class (``{}``: none needed)."""
    base = base_language(target_lang)
    key = cjk_font_key(target_lang) if base in CJK_LANGUAGES else base
    table = EAST_ASIAN_FONTS if base in CJK_LANGUAGES else COMPLEX_SCRIPT_FONTS
    chosen = dict(table.get(key, {}))
    overrides = font_map or {}
    override = overrides.get(target_lang) or overrides.get(key) or overrides.get(base)
    if override and (base in CJK_LANGUAGES or base in COMPLEX_SCRIPT_LANGUAGES):
        chosen = {"sans": override, "serif": override}
    return chosen


class Typography:
    """Applies the typography of one target language.

    `bind` gives a copy that knows the document (its styles and theme fonts), which
    `iris.docx.document.apply_document` uses; an unbound one resolves fonts from direct
    formatting only.
    """

    def __init__(
        self,
        target_lang: str,
        font_map: Mapping[str, str] | None = None,
        package: Package | None = None,
    ) -> None:
        base = base_language(target_lang)
        self.target_lang = target_lang
        self.font_map = dict(font_map or {})
        self.culture = culture_tag(target_lang)
        self.rtl = base in RTL_LANGUAGES
        self.complex_script = base in COMPLEX_SCRIPT_LANGUAGES
        self.cjk = base in CJK_LANGUAGES
        self.spaceless = base in _SPACELESS
        self.fonts = script_fonts(target_lang, font_map)
        self.breaking = EAST_ASIAN_BREAKING.get(base, {})
        self._package = package
        self._styles: StyleSheet | None = None
        self._chosen: dict[FontKey, tuple[str, bool]] = {}

    def bind(self, package: Package) -> Typography:
        """The same typography, resolving fonts and directions through ``package``."""
        return Typography(self.target_lang, self.font_map, package)

    @property
    def styles(self) -> StyleSheet:
        """The document's style sheet (read once, on first use)."""
        if self._styles is None:
            package = self._package
            self._styles = StyleSheet() if package is None else StyleSheet.read(package)
        return self._styles

    @property
    def lang_slot(self) -> str:
        """The ``w:lang`` attribute this language belongs in."""
        return "bidi" if self.complex_script else "eastAsia" if self.cjk else "val"

    def join_targets(self, pairs: Iterable[tuple[str, str]]) -> str:
        """A paragraph's target from its units' (source, target) pairs, in order.

        In Japanese and Chinese the spaces between a translated sentence that ends in a
        full-width character and the next sentence are dropped.
        """
        if not self.spaceless:
            return "".join(target for _, target in pairs)
        pieces = [[source, target] for source, target in pairs]
        for left, right in itertools.pairwise(pieces):
            if left[1] != left[0] and _ends_full_width(left[1]):
                left[1] = left[1].rstrip(" ")
                right[1] = right[1].lstrip(" ")
        return "".join(target for _, target in pieces)

    # -- WordprocessingML -------------------------------------------------------------

    def word_paragraph(
        self,
        paragraph: etree._Element,
        names: WordNames,
        runs: Sequence[etree._Element] = (),
        text: str = "",
    ) -> None:
        """Finish a translated paragraph: direction, line breaking, fonts, run directions.

        ``runs`` are the text runs the writer built (they got `word_properties` when
        they were built); ``text`` is the paragraph's target text.
        """
        self.word_direction(paragraph, names)
        ppr = paragraph.find(names.pPr)
        if self.breaking:
            ppr = _paragraph_properties(paragraph, names, ppr)
            self._line_breaking(ppr, names)
        mark = ppr.find(names.rPr) if ppr is not None else None
        if mark is not None:
            self.word_properties(mark, names, text_run=False)
        style = _style_id(ppr, names, "pStyle") if self.fonts else None
        table = self.styles.table_style(paragraph, names) if self.fonts else None
        if (style or table) and self._styled_class(style, table) != self._styled_class(None):
            # Runs got the face of a default-style paragraph outside tables
            # (`word_properties`); this paragraph's style or its table's style may give
            # the runs that inherit it another class.
            rprs = [run_properties(run, names) for run in runs]
            self._script_fonts(rprs if mark is None else [*rprs, mark], names, style, table)
        if self.rtl or RTL_SCRIPT_RE.search(text):
            set_run_directions(runs, names, rtl_paragraph=self.rtl)

    def word_direction(self, paragraph: etree._Element, names: WordNames) -> None:
        """The target's direction on a paragraph (``w:bidi``) and the tables around it
        (``w:bidiVisual``); also for a paragraph of a translated document that keeps
        its text (a number, a code), which reads in the document's direction like the
        rest: in a mirrored table, ``540`` sits on the side its neighbours' text does."""
        ppr = paragraph.find(names.pPr)
        if self.rtl:
            ppr = _paragraph_properties(paragraph, names, ppr)
            _set_on_off(ensure_child(ppr, names.bidi, PPR_ORDER), names, on=True)
            self._tables(paragraph, names, on=True)
        elif self._drop_bidi(paragraph, ppr, names):
            self._tables(paragraph, names, on=False)

    def word_properties(self, rpr: etree._Element, names: WordNames, *, text_run: bool) -> None:
        """Apply the language's settings to a ``w:rPr`` (shared by runs alike).

        ``w:rtl`` is decided per stretch of text afterwards (`word_paragraph`); here a
        left-to-right target only drops the source's. The East Asian or complex-script
        face is the one the run gets in a paragraph of the default style.
        """
        if self.complex_script and text_run:
            self._complex_twins(rpr, names)
        if not self.rtl:
            set_rtl(rpr, names, on=False)
        if self.fonts:
            self._script_fonts([rpr], names, None)
        lang = ensure_child(rpr, names.lang, RPR_ORDER)
        lang.set(names.q(self.lang_slot), self.culture)

    def word_sections(self, root: etree._Element) -> None:
        """Set (right-to-left target) or remove section ``w:bidi`` and ``w:rtlGutter``."""
        names = word_names_for(root.tag)
        body = root.find(names.body)
        if body is None:
            return
        namespaces = {"w": names.ns}
        for path in _SECTION_PATHS:
            for section in body.iterfind(path, namespaces):
                for local in ("bidi", "rtlGutter"):
                    tag = names.q(local)
                    if self.rtl:
                        _set_on_off(ensure_child(section, tag, SECTPR_ORDER), names, on=True)
                    for element in [] if self.rtl else section.findall(tag):
                        section.remove(element)

    def _line_breaking(self, ppr: etree._Element, names: WordNames) -> None:
        """The language's line-breaking settings; they are near neighbours in
        `PPR_ORDER`, so a new one usually goes right after the one before it."""
        previous: etree._Element | None = None
        for local, on in self.breaking.items():
            tag = names.q(local)
            element = ppr.find(tag)
            if element is None:
                element = ppr.makeelement(tag, {})
                if previous is not None and _fits_after(previous, local):
                    previous.addnext(element)
                else:
                    insert_ordered(ppr, element, PPR_ORDER)
            _set_on_off(element, names, on=on)
            previous = element

    def _styled_class(self, para_style: str | None, table_style: str | None = None) -> str:
        """The face a run without fonts of its own gets in a paragraph of this style (in a
        table of that style)."""
        key = ("paragraph", para_style, table_style)
        chosen = self._chosen.get(key)
        if chosen is None:
            chosen = self._choose_font(None, None, para_style, table_style)
            self._chosen[key] = chosen
        return chosen[0]

    def _drop_bidi(
        self, paragraph: etree._Element, ppr: etree._Element | None, names: WordNames
    ) -> bool:
        """Make a translated paragraph left-to-right; True if it was right-to-left."""
        direct = ppr.find(names.bidi) if ppr is not None else None
        styled = (
            self._package is not None
            and self.styles.has_bidi_style
            and self.styles.style_bidi(_style_id(ppr, names, "pStyle"))
        )
        if direct is None and not styled:
            return False
        was = styled if direct is None else _is_on(direct, names)
        if direct is not None and ppr is not None:
            ppr.remove(direct)
        if styled:
            ppr = _paragraph_properties(paragraph, names, ppr)
            off = ensure_child(ppr, names.bidi, PPR_ORDER)
            off.set(names.q("val"), "0")
        return bool(was)

    def _tables(self, paragraph: etree._Element, names: WordNames, *, on: bool) -> None:
        parent = paragraph.getparent()
        if parent is None or parent.tag == names.body:
            return
        for table in paragraph.iterancestors(names.tbl):
            tblpr = table.find(names.q("tblPr"))
            if tblpr is None:
                if not on:
                    continue
                tblpr = table.makeelement(names.q("tblPr"), {})
                table.insert(0, tblpr)
            tag = names.q("bidiVisual")
            if on:
                _set_on_off(ensure_child(tblpr, tag, TBLPR_ORDER), names, on=True)
            for element in [] if on else tblpr.findall(tag):
                tblpr.remove(element)

    def _script_fonts(
        self,
        rprs: Iterable[etree._Element],
        names: WordNames,
        para_style: str | None,
        table_style: str | None = None,
    ) -> None:
        slot = "eastAsia" if self.cjk else "cs"
        theme = names.q(f"{slot}Theme" if self.cjk else "cstheme")
        for rpr in rprs:
            fonts = rpr.find(names.rFonts)
            run_style = _style_id(rpr, names, "rStyle")
            attributes = None if fonts is None else tuple(fonts.attrib.items())
            key = (attributes, run_style, para_style, table_style)
            chosen = self._chosen.get(key)
            if chosen is None:
                chosen = self._choose_font(fonts, run_style, para_style, table_style)
                self._chosen[key] = chosen
            face, hint = chosen
            fonts = ensure_child(rpr, names.rFonts, RPR_ORDER)
            fonts.set(names.q(slot), face)
            fonts.attrib.pop(theme, "")
            if hint:
                fonts.set(names.q("hint"), "eastAsia")

    def _choose_font(
        self,
        fonts: etree._Element | None,
        run_style: str | None,
        para_style: str | None,
        table_style: str | None = None,
    ) -> tuple[str, bool]:
        """The face for a run and whether it needs ``w:hint="eastAsia"``."""
        styles = self.styles
        latin = styles.run_font(styles.fonts_font(fonts), run_style, para_style, table_style)
        default = styles.run_font(None, None, None)
        kind = font_class(latin) or font_class(default) or "sans"
        hint = self.cjk and latin.lower() not in CJK_FONT_NAMES
        return self.fonts[kind], hint

    def _complex_twins(self, rpr: etree._Element, names: WordNames) -> None:
        for plain, twin in _TOGGLE_TWINS:
            source = rpr.find(names.q(plain))
            if source is None or rpr.find(names.q(twin)) is not None:
                continue
            copy = rpr.makeelement(
                names.q(twin), {str(k): str(v) for k, v in source.attrib.items()}
            )
            insert_ordered(rpr, copy, RPR_ORDER)

    # -- DrawingML --------------------------------------------------------------------

    def drawing_properties(self, rpr: etree._Element, names: DrawingNames) -> None:
        """Apply the language's settings to an ``a:rPr``; as in `word_properties`,
        ``a:rtl`` is decided per stretch afterwards and a left-to-right target drops it."""
        rpr.set("lang", self.culture)
        if not self.rtl:
            set_rtl(rpr, names, on=False)
        if not self.fonts:
            return
        latin = rpr.find(f"{{{names.ns}}}latin")
        face = None if latin is None else latin.get("typeface")
        if face and face.startswith("+"):  # +mj-lt / +mn-lt: the theme's fonts
            face = self.styles.theme.get("major" if face.startswith("+mj") else "minor")
        kind = font_class(face) or font_class(self.styles.run_font(None, None, None)) or "sans"
        slot = "ea" if self.cjk else "cs"
        element = ensure_child(rpr, f"{{{names.ns}}}{slot}", A_RPR_ORDER)
        element.set("typeface", self.fonts[kind])

    def drawing_paragraph(self, paragraph: etree._Element, names: DrawingNames) -> None:
        """Mark a translated DrawingML paragraph right-to-left, or unmark it, and give
        ``a:rtl`` to the right-to-left stretches of its text runs (``a:r``)."""
        ppr = paragraph.find(names.pPr)
        if self.rtl:
            if ppr is None:
                ppr = paragraph.makeelement(names.pPr, {})
                paragraph.insert(0, ppr)
            ppr.set("rtl", "1")
        elif ppr is not None and ppr.get("rtl") in ("1", "true"):
            del ppr.attrib["rtl"]
        runs = paragraph.findall(names.r)
        if self.rtl or any(RTL_SCRIPT_RE.search(run.findtext(names.t) or "") for run in runs):
            set_run_directions(runs, names, rtl_paragraph=self.rtl)


def _paragraph_properties(
    paragraph: etree._Element, names: WordNames, ppr: etree._Element | None
) -> etree._Element:
    if ppr is None:
        ppr = paragraph.makeelement(names.pPr, {})
        paragraph.insert(0, ppr)
    return ppr


def _style_id(properties: etree._Element | None, names: WordNames, local: str) -> str | None:
    element = properties.find(names.q(local)) if properties is not None else None
    return None if element is None else element.get(names.q("val"))


def _fits_after(previous: etree._Element, local: str) -> bool:
    """True if a ``local`` paragraph property belongs right after ``previous``."""
    following = previous.getnext()
    if following is None:
        return True
    if not isinstance(following.tag, str):
        return False
    name = following.tag.rpartition("}")[2]
    return name not in PPR_ORDER or PPR_ORDER.index(name) > PPR_ORDER.index(local)


def _set_on_off(element: etree._Element, names: WordNames, *, on: bool) -> None:
    if on:
        element.attrib.pop(names.q("val"), "")
    else:
        element.set(names.q("val"), "0")


def _is_on(element: etree._Element, names: WordNames) -> bool:
    return element.get(names.q("val")) not in ("0", "false", "off")


def _ends_full_width(tagged: str) -> bool:
    text = plain_text(tagged).rstrip()
    return bool(text) and unicodedata.east_asian_width(text[-1]) in ("W", "F")
