"""Target-language typography of translated runs and paragraphs.

* Every translated run gets ``w:lang``: ``@w:val`` for most languages, ``@w:eastAsia``
  for Chinese/Japanese/Korean, ``@w:bidi`` for right-to-left languages (DrawingML runs:
  ``a:rPr/@lang``).
* Right-to-left targets (ar, he, fa, ur, …): runs get ``w:rtl`` and their ``b``/``i``/
  ``sz`` are copied into ``bCs``/``iCs``/``szCs`` (Word takes complex-script formatting
  from those); paragraphs get ``w:bidi``. Alignment values are not swapped: Word reads
  ``left``/``right`` as start/end in a bidi paragraph, so adding ``w:bidi`` mirrors the
  alignment by itself. DrawingML paragraphs get ``a:pPr/@rtl="1"``.
* CJK targets: ``w:rFonts/@w:eastAsia`` from a per-language font map (theme font
  attributes for East Asian text are removed, since they would override it), plus
  ``w:hint="eastAsia"`` when the run's font is not a CJK font, so shared punctuation
  uses the East Asian font. DrawingML runs get ``a:ea``.
All insertions follow the schema sequence (`iris.docx.schema_order`).
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from iris.docx.names import DrawingNames, WordNames, words
from iris.docx.schema_order import PPR_ORDER, RPR_ORDER, ensure_child, insert_ordered

RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"})
CJK_LANGUAGES = frozenset({"zh", "ja", "ko"})
DEFAULT_CJK_FONTS: Mapping[str, str] = {
    "ja": "Yu Mincho",
    "zh-Hans": "SimSun",
    "zh-Hant": "PMingLiU",
    "ko": "Batang",
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
}  # fmt: skip
_TOGGLE_TWINS = (("b", "bCs"), ("i", "iCs"), ("sz", "szCs"))


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


class Typography:
    """Applies the typography of one target language."""

    def __init__(self, target_lang: str, font_map: Mapping[str, str] | None = None) -> None:
        base = base_language(target_lang)
        self.culture = culture_tag(target_lang)
        self.rtl = base in RTL_LANGUAGES
        self.cjk = base in CJK_LANGUAGES
        fonts = {**DEFAULT_CJK_FONTS, **(font_map or {})}
        key = cjk_font_key(target_lang)
        self.cjk_font = fonts.get(target_lang, fonts.get(key, "")) if self.cjk else ""

    @property
    def lang_slot(self) -> str:
        """The ``w:lang`` attribute this language belongs in."""
        return "bidi" if self.rtl else "eastAsia" if self.cjk else "val"

    # -- WordprocessingML -------------------------------------------------------------

    def word_paragraph(self, paragraph: etree._Element, names: WordNames) -> None:
        """Mark a translated paragraph (bidi) and retag its paragraph mark.

        Its runs got their properties when they were built (`word_properties`).
        """
        ppr = paragraph.find(names.pPr)
        if self.rtl:
            if ppr is None:
                ppr = paragraph.makeelement(names.pPr, {})
                paragraph.insert(0, ppr)
            ensure_child(ppr, names.bidi, PPR_ORDER)
        mark = ppr.find(names.rPr) if ppr is not None else None
        if mark is not None:
            self.word_properties(mark, names, text_run=False)

    def word_properties(self, rpr: etree._Element, names: WordNames, *, text_run: bool) -> None:
        """Apply the language's settings to a ``w:rPr``."""
        if self.cjk:
            self._cjk_fonts(rpr, names)
        if self.rtl and text_run:
            ensure_child(rpr, names.rtl, RPR_ORDER)
            self._complex_twins(rpr, names)
        lang = ensure_child(rpr, names.lang, RPR_ORDER)
        lang.set(names.q(self.lang_slot), self.culture)

    def _complex_twins(self, rpr: etree._Element, names: WordNames) -> None:
        for plain, twin in _TOGGLE_TWINS:
            source = rpr.find(names.q(plain))
            if source is None or rpr.find(names.q(twin)) is not None:
                continue
            copy = rpr.makeelement(
                names.q(twin), {str(k): str(v) for k, v in source.attrib.items()}
            )
            insert_ordered(rpr, copy, RPR_ORDER)

    def _cjk_fonts(self, rpr: etree._Element, names: WordNames) -> None:
        if not self.cjk_font:
            return
        fonts = ensure_child(rpr, names.rFonts, RPR_ORDER)
        latin = fonts.get(names.q("ascii")) or fonts.get(names.q("hAnsi")) or ""
        fonts.set(names.q("eastAsia"), self.cjk_font)
        theme = names.q("eastAsiaTheme")
        if theme in fonts.attrib:
            del fonts.attrib[theme]
        if latin.lower() not in CJK_FONT_NAMES:
            fonts.set(names.q("hint"), "eastAsia")

    # -- DrawingML --------------------------------------------------------------------

    def drawing_properties(self, rpr: etree._Element, names: DrawingNames) -> None:
        """Apply the language's settings to an ``a:rPr``."""
        rpr.set("lang", self.culture)
        if self.cjk and self.cjk_font:
            _set_drawing_font(rpr, names, self.cjk_font)

    def drawing_paragraph(self, paragraph: etree._Element, names: DrawingNames) -> None:
        """Mark a translated DrawingML paragraph right-to-left if needed."""
        if self.rtl:
            ppr = paragraph.find(names.pPr)
            if ppr is None:
                ppr = paragraph.makeelement(names.pPr, {})
                paragraph.insert(0, ppr)
            ppr.set("rtl", "1")


_A_RPR_ORDER = words(
    "ln noFill solidFill gradFill blipFill pattFill grpFill effectLst effectDag highlight "
    "uLnTx uLn uFillTx uFill latin ea cs sym hlinkClick hlinkMouseOver rtl extLst"
)


def _set_drawing_font(rpr: etree._Element, names: DrawingNames, font: str) -> None:
    ea = ensure_child(rpr, f"{{{names.ns}}}ea", _A_RPR_ORDER)
    ea.set("typeface", font)
